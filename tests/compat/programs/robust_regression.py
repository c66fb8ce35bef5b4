# Robust polynomial regression, as a tutorial on loss functions writes it: data with outliers,
# coefficients held in an nn.ParameterList, Huber loss against MSE and SmoothL1, mini-batches
# drawn with torch.randperm. The gradient of each epoch is accumulated over its mini-batches
# before one optimizer step, so the printed numbers do not depend on the order of the draws.
import numpy as np
import torch
from torch import nn

rng = np.random.default_rng(7)
x = torch.from_numpy(rng.uniform(-2, 2, 200).astype(np.float32))
noise = torch.from_numpy(rng.normal(0, 0.1, 200).astype(np.float32))
y = 0.5 - 1.5 * x + 0.8 * x**2 + noise
outliers = torch.arange(0, 200, 17)
y[outliers] += 8.0  # a few wild measurements
clean = torch.ones(200, dtype=torch.bool)
clean[outliers] = False

# standardise the input with var_mean / std_mean
var, mean = torch.var_mean(x)
std, _ = torch.std_mean(x, unbiased=True)
print("input mean {:.4f} var {:.4f} std {:.4f}".format(mean.item(), var.item(), std.item()))
x_std = (x - mean) / std


class Polynomial(nn.Module):
    def __init__(self, degree):
        super().__init__()
        self.coefs = nn.ParameterList([nn.Parameter(torch.zeros(1)) for _ in range(degree + 1)])

    def forward(self, x):
        out = torch.zeros_like(x)
        for k, c in enumerate(self.coefs):
            out = out + c * x**k
        return out


def fit(loss_fn, epochs=150, batch_size=32, lr=0.1):
    model = Polynomial(2)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    history = []
    n = len(x_std)
    for epoch in range(epochs):
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, batch_size):
            idx = perm[i : i + batch_size]
            loss = loss_fn(model(x_std[idx]), y[idx]) / n
            loss.backward()
            total += loss.item()
        opt.step()
        opt.zero_grad()
        history.append(total)
    return model, torch.tensor(history)


print(Polynomial(2))
print([name for name, _ in Polynomial(2).named_parameters()])
print(list(Polynomial(2).state_dict().keys()))

for name, loss_fn in [
    ("mse", nn.MSELoss(reduction="sum")),
    ("huber", nn.HuberLoss(reduction="sum", delta=1.0)),
    ("smooth_l1", nn.SmoothL1Loss(reduction="sum", beta=0.5)),
]:
    model, history = fit(loss_fn)
    coefs = torch.cat([c.detach() for c in model.coefs])
    print(name, "loss first/last {:.4f} {:.4f}".format(history[0].item(), history[-1].item()))
    steps = torch.diff(history)
    print(
        name, "of the first 30 epochs, raised the loss:", torch.count_nonzero(steps[:30] > 0).item()
    )
    print(name, "coefficients", coefs)
    with torch.no_grad():
        residual = y - model(x_std)
    flagged = residual.abs() > 3.0
    print(name, "flagged as outliers:", torch.count_nonzero(flagged).item())
    bins = residual.abs().clamp_max(9.0).floor().long()
    print(name, "residual bins", torch.bincount(bins, minlength=10))
    values, counts = torch.unique(bins, return_counts=True)
    print(name, "distinct bins", values.tolist(), counts.tolist())
    # the robust fits are hardly moved by the outliers: the error on the clean points
    err = nn.functional.l1_loss(model(x_std)[clean], y[clean])
    print(name, "mean error on clean points {:.3f}".format(err.item()))

# functional forms and a ratio that divides by zero somewhere
pred = torch.linspace(-3, 3, 7)
target = torch.zeros(7)
print("huber", nn.functional.huber_loss(pred, target, reduction="none", delta=2.0))
print("smooth_l1", nn.functional.smooth_l1_loss(pred, target, reduction="none", beta=2.0))
ratio = torch.nan_to_num(pred / target.clamp_min(0.0), nan=0.0, posinf=100.0, neginf=-100.0)
print("ratio", ratio)
