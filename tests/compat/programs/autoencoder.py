# A fully connected autoencoder and a denoising variant, as the tutorials write them:
# encoder and decoder as nn.Sequential, F.mse_loss, Adam with weight_decay, gradient clipping
# with nn.utils.clip_grad_norm_ (its returned norm logged), a DataLoader over a
# TensorDataset, the latent codes of a batch. The data are 10-dimensional points near a
# 2-D plane, from a seeded numpy generator; so are the weights.
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(21)
basis = rng.standard_normal((2, 10)).astype(np.float32)
codes = rng.uniform(-1, 1, (240, 2)).astype(np.float32)
points = np.tanh(codes @ basis) + 0.05 * rng.standard_normal((240, 10)).astype(np.float32)
dataset = TensorDataset(torch.from_numpy(points))
loader = DataLoader(dataset, batch_size=48, shuffle=False)


class AutoEncoder(nn.Module):
    def __init__(self, n_in=10, n_hidden=16, n_latent=2):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(n_in, n_hidden), nn.Tanh(), nn.Linear(n_hidden, n_latent)
        )
        self.decoder = nn.Sequential(
            nn.Linear(n_latent, n_hidden), nn.Tanh(), nn.Linear(n_hidden, n_in), nn.Tanh()
        )

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z


def load_numpy_weights(model, seed):
    gen = np.random.default_rng(seed)
    state = {
        name: torch.from_numpy(gen.normal(0, 0.5, tuple(t.shape)).astype(np.float32))
        for name, t in model.state_dict().items()
    }
    missing, unexpected = model.load_state_dict(state)
    return missing, unexpected


model = AutoEncoder()
print(model)
print("load", load_numpy_weights(model, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
for epoch in range(20):
    total, norms = 0.0, []
    for (batch,) in loader:
        recon, _ = model(batch)
        loss = F.mse_loss(recon, batch)
        optimizer.zero_grad()
        loss.backward()
        norms.append(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0).item())
        optimizer.step()
        total += loss.item() * batch.size(0)
    if epoch % 5 == 0 or epoch == 19:
        print(
            f"epoch {epoch:2d} loss {total / len(dataset):.5f} "
            f"grad norm max {max(norms):.4f} min {min(norms):.4f}"
        )

model.eval()
with torch.no_grad():
    recon, latent = model(torch.from_numpy(points[:5]))
    errors = ((recon - torch.from_numpy(points[:5])) ** 2).mean(dim=1)
print("latent", latent.shape, latent)
print("per-sample error", errors)
print("weight norm", sum(p.pow(2).sum() for p in model.parameters()).sqrt().item())

# a denoising autoencoder: corrupt the input, reconstruct the clean points; clip by value
noisy_points = points + 0.3 * rng.standard_normal(points.shape).astype(np.float32)
pairs = DataLoader(
    TensorDataset(torch.from_numpy(noisy_points), torch.from_numpy(points)), batch_size=60
)
denoiser = AutoEncoder(n_hidden=24, n_latent=4)
load_numpy_weights(denoiser, 2)
optimizer = torch.optim.AdamW(denoiser.parameters(), lr=0.005, weight_decay=0.01)
criterion = nn.MSELoss(reduction="sum")
for epoch in range(15):
    epoch_loss = 0.0
    for noisy, clean in pairs:
        optimizer.zero_grad()
        out, _ = denoiser(noisy)
        loss = criterion(out, clean) / noisy.shape[0]
        loss.backward()
        torch.nn.utils.clip_grad_value_(denoiser.parameters(), clip_value=0.5)
        optimizer.step()
        epoch_loss += loss.item()
    if epoch % 7 == 0 or epoch == 14:
        print(f"denoise epoch {epoch:2d} loss {epoch_loss / len(pairs):.5f}")
with torch.no_grad():
    noisy_error = F.mse_loss(torch.from_numpy(noisy_points), torch.from_numpy(points))
    cleaned_error = F.mse_loss(
        denoiser(torch.from_numpy(noisy_points))[0], torch.from_numpy(points)
    )
print(f"noisy error {noisy_error.item():.5f} cleaned error {cleaned_error.item():.5f}")
print("grads kept", all(p.grad is not None for p in denoiser.parameters()))
optimizer.zero_grad(set_to_none=True)
print("after zero_grad", all(p.grad is None for p in denoiser.parameters()))
