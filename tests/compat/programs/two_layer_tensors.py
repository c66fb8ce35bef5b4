# A two-layer ReLU network fitted with hand-written gradients: only tensor operations
# (mm, t, clamp, clone, masked assignment, in-place updates), no autograd.
import numpy as np
import torch

dtype = torch.float
device = torch.device("cpu")
if torch.cuda.is_available():
    device = torch.device("cuda:0")

batch, d_in, hidden, d_out = 32, 50, 20, 5
rng = np.random.default_rng(1)
x = torch.from_numpy(rng.standard_normal((batch, d_in)).astype(np.float32)).to(device)
y = torch.tensor(rng.standard_normal((batch, d_out)), device=device, dtype=dtype)
w1 = torch.tensor(rng.standard_normal((d_in, hidden)) * 0.1, device=device, dtype=dtype)
w2 = torch.tensor(rng.standard_normal((hidden, d_out)) * 0.1, device=device, dtype=dtype)
noise = torch.randn(batch, d_in, device=device, dtype=dtype)
print("shapes", tuple(noise.shape), noise.size().numel())

learning_rate = 1e-3
for step in range(200):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)

    loss = (y_pred - y).pow(2).sum().item()
    if step % 50 == 49:
        print(step, f"{loss:.5f}")

    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)

    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

print("final", f"{(x.mm(w1).clamp(min=0).mm(w2) - y).pow(2).sum():.5f}")
