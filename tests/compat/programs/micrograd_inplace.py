# The same checks written with in-place additions on tensors in the graph (c += c + 1), as
# the engine's own test writes them.
import torch

a = torch.Tensor([-4.0]).double()
b = torch.Tensor([2.0]).double()
a.requires_grad = True
b.requires_grad = True
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
g.backward()
print("in-place ops", f"{g.data.item():.10f}", f"{a.grad.item():.10f}", f"{b.grad.item():.10f}")
