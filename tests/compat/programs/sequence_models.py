# Sequence models as the tutorials write them: an LSTM that predicts the next value of a
# sine wave, a GRU that learns to sum a sequence, and an RNN cell unrolled by hand.
import math

import torch
from torch import nn


def fixed_init(model):
    """Weights from a fixed pattern, so that both libraries start from the same point."""
    with torch.no_grad():
        for k, param in enumerate(model.parameters()):
            n = param.numel()
            param.copy_(0.3 * torch.sin(torch.arange(n) * 0.7 + k).reshape(param.shape))


class SineLSTM(nn.Module):
    def __init__(self, hidden_size=12):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size, num_layers=2, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, (h_n, c_n) = self.lstm(x)
        return self.head(out[:, -1, :])


# 16 windows of 20 samples of sin(t), each followed by the value to predict
t = torch.linspace(0, 4 * math.pi, 200)
wave = torch.sin(t)
starts = torch.arange(0, 160, 10)
windows = torch.stack([wave[s : s + 20] for s in starts.tolist()]).unsqueeze(-1)
targets = torch.stack([wave[s + 20] for s in starts.tolist()]).unsqueeze(-1)
print("windows", tuple(windows.shape), "targets", tuple(targets.shape))

model = SineLSTM()
fixed_init(model)
print(model)
print("parameters", sum(p.numel() for p in model.parameters()))
print("state_dict", list(model.state_dict()))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
for step in range(200):
    optimizer.zero_grad()
    loss = loss_fn(model(windows), targets)
    loss.backward()
    optimizer.step()
    if step % 40 == 0 or step == 199:
        print(f"lstm step {step:3d} loss {loss.item():.5f}")
model.eval()
with torch.no_grad():
    predicted = model(windows[:3])
print("predicted", [round(v, 3) for v in predicted.squeeze(-1).tolist()])
print("true     ", [round(v, 3) for v in targets[:3].squeeze(-1).tolist()])


# The sum of a sequence of numbers, read by a bidirectional GRU (sequence first)
class Summer(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 8, bidirectional=True)
        self.out = nn.Linear(16, 1)

    def forward(self, x, h0=None):
        _, h_n = self.gru(x, h0)
        return self.out(torch.cat([h_n[0], h_n[1]], dim=1))


xs = (torch.arange(6 * 32).reshape(6, 32, 1) % 7 - 3.0) / 3
sums = xs.sum(0)
summer = Summer()
fixed_init(summer)
optimizer = torch.optim.Adam(summer.parameters(), lr=0.02)
for step in range(150):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(summer(xs), sums)
    loss.backward()
    optimizer.step()
    if step % 50 == 0 or step == 149:
        print(f"gru step {step:3d} loss {loss.item():.5f}")
grad_norm = sum(p.grad.norm() ** 2 for p in summer.parameters()) ** 0.5
print("gradient norm", f"{grad_norm.item():.5f}")

# An RNN cell unrolled by hand gives the layer's output
cell = nn.RNNCell(3, 4)
layer = nn.RNN(3, 4)
fixed_init(cell)
layer.load_state_dict({k + "_l0": v for k, v in cell.state_dict().items()})
seq = torch.linspace(-1, 1, 5 * 2 * 3).reshape(5, 2, 3)
h = torch.zeros(2, 4)
outputs = []
for x_t in seq:
    h = cell(x_t, h)
    outputs.append(h)
output, h_n = layer(seq)
print("cell == layer", torch.allclose(torch.stack(outputs), output), torch.allclose(h, h_n[0]))
print("h_n", [round(v, 4) for v in h_n.flatten().tolist()])

# Truncated backpropagation through time: a long series read in chunks of 10 steps, the
# state carried from one chunk to the next but detached from its graph
lstm, head = nn.LSTM(1, 6), nn.Linear(6, 1)
fixed_init(lstm)
fixed_init(head)
optimizer = torch.optim.SGD([*lstm.parameters(), *head.parameters()], lr=0.1, momentum=0.9)
series = torch.sin(torch.linspace(0, 12 * math.pi, 201)).reshape(201, 1, 1)
for epoch in range(3):
    state, total = None, 0.0
    for start in range(0, 200, 10):
        out, state = lstm(series[start : start + 10], state)
        state = tuple(s.detach() for s in state)
        loss = ((head(out) - series[start + 1 : start + 11]) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"tbptt epoch {epoch} mean loss {total / 20:.5f}", state[0].requires_grad)
