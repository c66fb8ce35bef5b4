# The same network with autograd: requires_grad, backward, updates under no_grad, and
# gradients reset with zero_() and with None.
import numpy as np
import torch

device = torch.device("cpu")
rng = np.random.default_rng(2)
x = torch.tensor(rng.standard_normal((16, 30)), dtype=torch.float32, device=device)
y = torch.tensor(rng.standard_normal((16, 4)), dtype=torch.float32, device=device)
w1 = torch.tensor(rng.standard_normal((30, 12)) * 0.1, dtype=torch.float32, requires_grad=True)
w2 = torch.tensor(rng.standard_normal((12, 4)) * 0.1, dtype=torch.float32, requires_grad=True)

lr = 2e-3
for step in range(150):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if step % 50 == 0:
        print(step, round(loss.item(), 4))
    loss.backward()
    with torch.no_grad():
        w1 -= lr * w1.grad
        w2 -= lr * w2.grad
        w1.grad.zero_()
        w2.grad = None

print("w1 grad after zero_:", w1.grad.abs().sum().item(), "w2 grad:", w2.grad)
print("final loss", f"{torch.sum((x.mm(w1).clamp(min=0).mm(w2) - y) ** 2):.4f}")
