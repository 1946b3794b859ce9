from data_loader.data_loaders import CLASSES, FashionMnistDataLoader, read_idx

__all__ = ["CLASSES", "FashionMnistDataLoader", "read_idx"]
