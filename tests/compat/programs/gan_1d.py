# A toy GAN on 1-D Gaussian data, the way the introductory GAN tutorials write it: a
# generator and a discriminator as small MLPs, two Adam optimizers with betas=(0.5, 0.999),
# nn.BCEWithLogitsLoss against torch.ones_like / torch.zeros_like labels, fake samples
# detach()ed for the discriminator step. The noise and the "real" samples come from a
# seeded numpy generator, drawn before training; so do the weights.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(4)
batch_size, latent_dim, steps = 64, 4, 120
real_data = torch.from_numpy(
    (3.0 + 0.5 * rng.standard_normal((steps, batch_size, 1))).astype(np.float32)
)
noise = torch.from_numpy(rng.standard_normal((steps, batch_size, latent_dim)).astype(np.float32))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent_dim, 16), nn.LeakyReLU(0.2, inplace=True), nn.Linear(16, 1)
        )

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))

    def forward(self, x):
        return self.net(x)


def weights_init(m, gen):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            m.weight.copy_(
                torch.from_numpy(gen.normal(0.0, 0.3, tuple(m.weight.shape)).astype(np.float32))
            )
            nn.init.zeros_(m.bias)


netG, netD = Generator(), Discriminator()
gen = np.random.default_rng(0)
netG.apply(lambda m: weights_init(m, gen))
netD.apply(lambda m: weights_init(m, gen))
print(netG, netD)

criterion = nn.BCEWithLogitsLoss()
optimizerD = torch.optim.Adam(netD.parameters(), lr=0.01, betas=(0.5, 0.999))
optimizerG = torch.optim.Adam(netG.parameters(), lr=0.01, betas=(0.5, 0.999))
for step in range(steps):
    real, z = real_data[step], noise[step]
    # (1) the discriminator: maximise log D(x) + log(1 - D(G(z)))
    netD.zero_grad()
    out_real = netD(real)
    errD_real = criterion(out_real, torch.ones_like(out_real))
    fake = netG(z)
    out_fake = netD(fake.detach())
    errD_fake = criterion(out_fake, torch.zeros_like(out_fake))
    errD = errD_real + errD_fake
    errD.backward()
    D_x = torch.sigmoid(out_real).mean().item()
    optimizerD.step()
    # (2) the generator: maximise log D(G(z)), the non-saturating loss
    netG.zero_grad()
    out = netD(fake)
    errG = criterion(out, torch.full_like(out, 1.0))
    errG.backward()
    D_G_z = torch.sigmoid(out).mean().item()
    optimizerG.step()
    if step % 20 == 0 or step == steps - 1:
        print(
            f"[{step:3d}/{steps}] Loss_D: {errD.item():.4f} Loss_G: {errG.item():.4f} "
            f"D(x): {D_x:.4f} D(G(z)): {D_G_z:.4f}"
        )

with torch.no_grad():
    samples = netG(noise[0])
print(f"generated mean {samples.mean().item():.4f} std {samples.std().item():.4f}")
print(
    "generator grads after step", [round(p.grad.abs().sum().item(), 4) for p in netG.parameters()]
)
print("fake requires grad", fake.requires_grad, "detached", fake.detach().requires_grad)
print("discriminator has no grad from G step", netD.net[0].weight.grad is not None)
