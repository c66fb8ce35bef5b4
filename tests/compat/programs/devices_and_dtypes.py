# What scripts written for GPUs do before they compute: pick a device, move data and
# models, check and convert dtypes, seed the generators.
import numpy as np
import torch
from torch import nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(
    "device", device.type, device.index, torch.cuda.device_count(), torch.accelerator.is_available()
)
torch.set_default_device("cpu")
g = torch.manual_seed(42)
print("seed", g.initial_seed())
gen = torch.Generator().manual_seed(3)
print("generator draws", tuple(torch.randn(2, 3, generator=gen).shape))

x = torch.arange(6, dtype=torch.float32, device=device).reshape(2, 3)
print(x.device.type, x.is_cuda, x.cpu().sum().item(), x.to(device).sum().item())
print(x.to(torch.float64).dtype == torch.double, x.to(device, torch.int64).dtype == torch.long)
print(x.to(torch.zeros(1, dtype=torch.float64)).dtype == torch.float64)
print(
    x.double().dtype == torch.float64, x.long().dtype == torch.int64, x.int().dtype == torch.int32
)
print(x.bool().dtype == torch.bool, x.half().dtype == torch.half, x.float().dtype == torch.float)
print(
    x.type(torch.int32).dtype == torch.int32,
    torch.tensor([1, 2]).type(torch.float).dtype == torch.float32,
)
print(x.shape == (2, 3), x.size() == torch.Size([2, 3]), x.size().numel(), x.shape[1:], x.size(-1))
print(torch.get_default_dtype() == torch.float32)
torch.set_default_dtype(torch.float64)
print(torch.zeros(2).dtype == torch.float64, torch.tensor([1.5]).dtype == torch.float64)
torch.set_default_dtype(torch.float32)

for dt in (
    torch.float,
    torch.float32,
    torch.double,
    torch.float64,
    torch.half,
    torch.float16,
    torch.long,
    torch.int,
    torch.int64,
    torch.int32,
    torch.bool,
    torch.uint8,
    torch.int8,
    torch.int16,
):
    print(torch.zeros(2, dtype=dt).dtype == dt, end=" ")
print()

model = nn.Linear(3, 2).to(device)
model.to(torch.float64)
print(model.weight.dtype == torch.float64, model.bias.dtype == torch.float64)
model.to(device, torch.float32)
print(model.weight.dtype == torch.float32)
model.double()
print(model(x.double()).dtype == torch.float64)

w = torch.empty(200, 50)
w.normal_(0.0, 0.02)
print("normal_ std ~ 0.02:", abs(w.std().item() - 0.02) < 0.002)
w.uniform_(-0.5, 0.5)
print("uniform_ in range:", -0.5 <= w.min().item() and w.max().item() < 0.5)
n = torch.normal(torch.zeros(1000), torch.full((1000,), 2.0))
print("normal(mean, std) shape", tuple(n.shape), abs(n.std().item() - 2.0) < 0.3)
print(torch.normal(0.0, 1.0, size=(3, 4)).shape, torch.randint(0, 10, (5,)).dtype == torch.int64)
for creation in (torch.zeros, torch.ones, torch.rand, torch.randn, torch.empty):
    print(tuple(creation(2, 3, device=device, dtype=torch.float64).shape), end=" ")
print()
print(
    torch.full((2,), 7, device=device),
    torch.eye(2, device=device),
    torch.linspace(0, 1, 3, device=device),
)
print(
    torch.zeros_like(x, device=device),
    torch.ones_like(x, dtype=torch.int64),
    torch.arange(3, device=device),
)
print(torch.tensor(np.array([1.5, 2.5]), device=device), torch.as_tensor([1, 2], device=device))
