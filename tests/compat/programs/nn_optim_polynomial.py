# Fit sin(x) with a third-order polynomial three ways: nn.Sequential with a manual update,
# the same with an optimizer, and a custom Module with its own parameters.
import math

import torch
from torch import nn

x = torch.linspace(-math.pi, math.pi, 400)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print("features", tuple(xx.shape), xx.dtype == torch.float32)


def fixed_init(model):
    with torch.no_grad():
        for k, param in enumerate(model.parameters()):
            param.copy_(torch.linspace(-0.1, 0.1, param.numel()).reshape(param.shape) * (k + 1))


model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
fixed_init(model)
loss_fn = nn.MSELoss(reduction="sum")
learning_rate = 1e-6
for t in range(300):
    loss = loss_fn(model(xx), y)
    if t % 100 == 99:
        print("manual", t, f"{loss.item():.4f}")
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad
linear_layer = model[0]
print(
    f"Result: y = {linear_layer.bias.item():.5f} + {linear_layer.weight[:, 0].item():.5f} x"
    f" + {linear_layer.weight[:, 1].item():.5f} x^2 + {linear_layer.weight[:, 2].item():.5f} x^3"
)

for name, make in [
    ("rmsprop", lambda params: torch.optim.RMSprop(params, lr=1e-3)),
    ("sgd_momentum", lambda params: torch.optim.SGD(params, lr=1e-6, momentum=0.9)),
    ("adam", lambda params: torch.optim.Adam(params, lr=1e-3)),
]:
    model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))
    fixed_init(model)
    optimizer = make(model.parameters())
    for t in range(200):
        loss = loss_fn(model(xx), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(name, f"{loss.item():.4f}")


class Polynomial3(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(0.1))
        self.b = nn.Parameter(torch.tensor(0.5))
        self.c = nn.Parameter(torch.zeros(()))
        self.d = nn.Parameter(torch.full((), -0.05))

    def forward(self, x):
        return self.a + self.b * x + self.c * x**2 + self.d * x**3

    def string(self):
        return f"y = {self.a.item():.5f} + {self.b.item():.5f} x + {self.c.item():.5f} x^2 + {self.d.item():.5f} x^3"


model = Polynomial3()
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(300):
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print("custom module", f"{loss:.4f}", model.string())
print("parameters", sum(p.numel() for p in model.parameters()))
