from utils.util import MetricTracker, read_json, write_json

__all__ = ["MetricTracker", "read_json", "write_json"]
