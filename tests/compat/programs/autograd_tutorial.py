# Automatic differentiation as the beginner tutorial shows it: a one-layer logistic model,
# gradients, no_grad and detach, and vector-Jacobian products with retain_graph.
import numpy as np
import torch

x = torch.ones(5)
y = torch.zeros(3)
w = torch.tensor(np.linspace(-1.0, 1.0, 15).reshape(5, 3), dtype=torch.float32, requires_grad=True)
b = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print("has grad_fn:", z.grad_fn is not None, loss.grad_fn is not None)
loss.backward()
print(w.grad)
print(b.grad)

z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")
