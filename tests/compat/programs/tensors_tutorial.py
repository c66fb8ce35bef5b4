# A tour of tensors as the beginner tutorial does it: creation, attributes, devices,
# indexing, joining, arithmetic with out=, in-place ops and the numpy bridge.
import numpy as np
import torch

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
np_array = np.array(data)
x_np = torch.from_numpy(np_array)
print("from numpy", x_np.tolist(), x_np.dtype == torch.int64)
x_ones = torch.ones_like(x_data)
print(f"Ones Tensor:\n{x_ones}\n")
x_rand = torch.rand_like(x_data, dtype=torch.float)
print(
    "rand_like in [0, 1):", bool(((x_rand >= 0) & (x_rand < 1)).all()), x_rand.dtype == torch.float
)

shape = (2, 3)
print(torch.rand(shape).shape, torch.ones(shape), torch.zeros(shape))

tensor = torch.rand(3, 4)
print(f"Shape of tensor: {tuple(tensor.shape)}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")
if torch.accelerator.is_available():
    tensor = tensor.to(torch.accelerator.current_accelerator())

tensor = torch.ones(4, 4)
tensor[:, 1] = 0
print(f"First row: {tensor[0]}")
print(f"First column: {tensor[:, 0]}")
print(f"Last column: {tensor[..., -1]}")
t1 = torch.cat([tensor, tensor, tensor], dim=1)
print(t1.shape, torch.stack([tensor, tensor]).shape)

y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
print(y1, bool((y1 == y2).all()), bool((y1 == y3).all()), bool((z1 == z3).all()), z2.sum())

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item).__name__)
print(f"{tensor} \n")
tensor.add_(5)
print(tensor)

t = torch.ones(5)
n = t.numpy()
t.add_(1)
print(f"t: {t}", f"n: {n}")
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print(f"t: {t}", f"n: {n}")

a = torch.arange(6.0).reshape(2, 3)
print(
    a.sum(axis=1),
    a.mean(axis=0, keepdims=True),
    torch.max(a, 1).values,
    torch.max(a, torch.full_like(a, 2.5)),
)
print(
    torch.add(a, 1, alpha=2),
    torch.sub(a, a, alpha=0.5),
    torch.div(a, 2),
    torch.pow(a, 2),
    torch.pow(2, a),
)
print(a.view_as(torch.zeros(3, 2)), a.t(), a.size(), a.size(1), a.numel(), torch.numel(a))
print(torch.is_tensor(a), torch.is_tensor(n), torch.as_tensor(np.arange(3)).tolist())
gx, gy = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="xy")
print(gx, gy)
print(torch.sinh(torch.tensor([0.5, -1.0])), torch.cosh(torch.tensor([0.5, -1.0])))
print(abs(torch.tensor([-1.5, 2.0])), f"{torch.tensor(3.14159):.3f}", [10, 20, 30][torch.tensor(1)])
print(
    torch.tensor([1.7, -2.2]).long(),
    torch.tensor([1.7, 0.0]).bool(),
    torch.tensor([1, 2]).double(),
    torch.tensor([1.5]).int(),
)
print(
    torch.tensor([1, 2]).type(torch.float32).dtype == torch.float32,
    torch.tensor([1.0]).half().dtype == torch.float16,
)
