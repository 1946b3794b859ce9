"""DDP and FSDP2 on the CPU: two processes (gloo backend), launched by torchrun.

Run it from the notebooks/ folder, as the lesson 13_scaling.ipynb does:
    torchrun --standalone --nproc-per-node 2 scripts/ddp_fsdp.py OUT_DIR
Part 1 (DDP) trains one MLP on 2,048 Fashion-MNIST images, each rank on its own shard of every epoch.
Part 2 (FSDP2) shards a small MLP's parameters over the ranks with `fully_shard`.
Every rank writes OUT_DIR/rank{RANK}.json.
"""

import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed.fsdp import fully_shard
from torch.distributed.tensor import DTensor
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

FASHION = "/usr/share/datasets/fashion-mnist"


def load_fashion(n):
    # 처음 n장의 학습 이미지 / the first n training images
    with gzip.open(f"{FASHION}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:n]
    with gzip.open(f"{FASHION}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return torch.tensor(images, dtype=torch.float32) / 255.0, torch.tensor(labels, dtype=torch.long)


def train_ddp(rank, world_size):
    # 1부: DDP / part 1: DDP
    X, y = load_fashion(2048)
    dataset = TensorDataset(torch.arange(len(y)), X, y)  # 샘플 번호도 함께 / keep sample ids
    sampler = DistributedSampler(dataset, shuffle=True, seed=0)  # rank마다 다른 조각 / one shard per rank
    loader = DataLoader(dataset, batch_size=64, sampler=sampler)  # rank당 64, 전체 128 / 64 per rank, 128 in all
    torch.manual_seed(100 + rank)  # 일부러 다른 초기값 / different initial weights on purpose
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
    init_sum = model[0].weight.sum().item()
    ddp_model = DDP(model)  # rank 0의 가중치를 모두에게 복사 / broadcasts rank 0's weights
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.2)
    seen = []
    for epoch in range(2):
        sampler.set_epoch(epoch)  # 에포크마다 새 순서 / a new order every epoch
        seen.append([])
        for idx, xb, yb in loader:
            seen[-1] += idx.tolist()
            optimizer.zero_grad()
            loss = F.cross_entropy(ddp_model(xb), yb)
            loss.backward()  # 여기서 기울기 all-reduce / gradients are all-reduced here
            optimizer.step()
    flat = torch.cat([p.detach().flatten() for p in model.parameters()])
    gathered = [torch.empty_like(flat) for _ in range(world_size)]
    dist.all_gather(gathered, flat)  # 모든 rank의 매개변수 / every rank's parameters
    max_diff = max((g - flat).abs().max().item() for g in gathered)
    return {"init_sum": init_sum, "seen": seen, "last_loss": loss.item(), "param_sum": flat.sum().item(),
            "max_diff_to_other_ranks": max_diff}


def make_model():
    torch.manual_seed(0)  # 모든 rank가 같은 초기값 / the same initial weights on every rank
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8))


def batch(seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(8, 16, generator=g), torch.randint(0, 8, (8,), generator=g)


def shard_with_fsdp(rank, world_size):
    # 2부: FSDP2 / part 2: FSDP2
    model = make_model()
    for layer in model:
        if isinstance(layer, nn.Linear):
            fully_shard(layer)  # 층마다 한 단위 / one unit per layer
    fully_shard(model)  # 나머지와 바깥 / the rest, the outer module
    shards = {name: {"type": type(p).__name__, "global": list(p.shape), "local": list(p.to_local().shape),
                     "placements": str(p.placements)}
              for name, p in model.named_parameters()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)  # 자기 조각만 갱신 / updates the local shard only
    for step in range(3):
        xb, yb = batch(10 * step + rank)  # rank마다 다른 배치 / a different batch on every rank
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()  # 기울기는 reduce-scatter로 평균 / gradients averaged by reduce-scatter
        optimizer.step()
    full = torch.cat([p.full_tensor().flatten() for p in model.parameters()])  # all-gather
    # 한 프로세스로 두 배치를 합쳐 학습한 기준 / reference: one process, both ranks' batches together
    ref = make_model()
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1)
    for step in range(3):
        parts = [batch(10 * step + r) for r in range(world_size)]
        ref_opt.zero_grad()
        F.cross_entropy(ref(torch.cat([p[0] for p in parts])), torch.cat([p[1] for p in parts])).backward()
        ref_opt.step()
    ref_flat = torch.cat([p.detach().flatten() for p in ref.parameters()])
    return {"shards": shards, "is_dtensor": all(isinstance(p, DTensor) for p in model.parameters()),
            "local_numel": sum(p.to_local().numel() for p in model.parameters()), "full_numel": full.numel(),
            "max_diff_to_single_process": (full - ref_flat).abs().max().item()}


def main(out_dir):
    start = time.perf_counter()
    dist.init_process_group("gloo")  # torchrun이 RANK, WORLD_SIZE, MASTER_ADDR/PORT를 줍니다 / torchrun sets them
    rank, world_size = dist.get_rank(), dist.get_world_size()
    result = {"rank": rank, "world_size": world_size, "threads": torch.get_num_threads()}
    result["ddp"] = train_ddp(rank, world_size)
    result["fsdp"] = shard_with_fsdp(rank, world_size)
    result["seconds"] = time.perf_counter() - start
    with open(os.path.join(out_dir, f"rank{rank}.json"), "w") as f:
        json.dump(result, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
