# A tiny 3-D U-Net for voxel segmentation, as medical-imaging tutorials write it: Conv3d
# blocks with GroupNorm, MaxPool3d down, ConvTranspose3d up with a skip connection, a per-voxel
# CrossEntropyLoss on the (N, C, D, H, W) logits, Adam; a class-weighted loss that ignores the
# border voxels (ignore_index) and its NLLLoss form; BatchNorm3d and InstanceNorm3d on the
# features (running statistics, eval); then a video-style clip classifier head (AvgPool3d,
# LPPool3d, AdaptiveMaxPool3d) and a 1-D decoder (ConvTranspose1d with output_size). The volumes are synthetic 8x8x8 cubes holding a bright box; the weights come
# from a seeded numpy generator, so both libraries start from the same point.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(5)
masks = np.zeros((6, 8, 8, 8), np.int64)
for i, (d, h, w) in enumerate(rng.integers(0, 4, (6, 3))):
    masks[i, d : d + 4, h : h + 3, w : w + 4] = 1
volumes = (2.0 * masks + rng.standard_normal(masks.shape)).astype(np.float32)[:, None]
x, y = torch.from_numpy(volumes), torch.from_numpy(masks)


def block(c_in, c_out):
    return nn.Sequential(
        nn.Conv3d(c_in, c_out, kernel_size=3, padding=1, bias=False),
        nn.GroupNorm(2, c_out),
        nn.ReLU(inplace=True),
    )


class UNet3d(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = block(1, 4)
        self.pool = nn.MaxPool3d(2)
        self.bottom = block(4, 8)
        self.up = nn.ConvTranspose3d(8, 4, kernel_size=2, stride=2)
        self.fuse = block(8, 4)
        self.head = nn.Conv3d(4, 2, kernel_size=1)

    def forward(self, x):
        skip = self.down(x)
        z = self.up(self.bottom(self.pool(skip)))
        return self.head(self.fuse(torch.cat([z, skip], dim=1)))


def init_from_numpy(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "weight" in name and p.dim() > 1:
                w = gen.standard_normal(tuple(p.shape)) * np.sqrt(2.0 / p[0].numel())
                p.copy_(torch.from_numpy(w.astype(np.float32)))
            elif "bias" in name:
                nn.init.zeros_(p)


model = UNet3d()
init_from_numpy(model, 0)
print(model.up, model.pool)
print("parameters", sum(p.numel() for p in model.parameters()))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
for step in range(6):
    optimizer.zero_grad()
    logits = model(x)
    loss = loss_fn(logits, y)  # per voxel: (N, C, D, H, W) logits, (N, D, H, W) classes
    loss.backward()
    optimizer.step()
    dice = (
        2 * ((logits.argmax(1) == 1) & (y == 1)).sum() / ((logits.argmax(1) == 1).sum() + y.sum())
    )
    print(f"step {step} loss {loss.item():.4f} dice {dice.item():.4f}", tuple(logits.shape))

# the box is rare: weight it up, leave the border voxels out, and compare with NLLLoss
border = y.clone()
border[:, 0], border[:, -1] = -1, -1
weighted = nn.CrossEntropyLoss(weight=torch.tensor([0.3, 1.7]), ignore_index=-1)
smoothed = F.cross_entropy(logits, border, ignore_index=-1, label_smoothing=0.1, reduction="none")
nll = nn.NLLLoss(torch.tensor([0.3, 1.7]), ignore_index=-1)(F.log_softmax(logits, 1), border)
print(
    "weighted",
    round(weighted(logits, border).item(), 4),
    "nll",
    round(nll.item(), 4),
    "smoothed",
    tuple(smoothed.shape),
    f"{smoothed.mean().item():.5f}",
)

# 3-D normalisation of the first block's features: batch statistics over three batches of two
# volumes (momentum=None: the cumulative average), then eval; instance statistics per volume
bn, inorm = nn.BatchNorm3d(4, momentum=None), nn.InstanceNorm3d(4, track_running_stats=True)
with torch.no_grad():
    features = model.down(x)
    for i in range(3):
        bn(features[2 * i : 2 * i + 2]), inorm(features[2 * i : 2 * i + 2])
    bn.eval(), inorm.eval()
    normed, inormed = bn(features), inorm(features[0])
print(bn, int(bn.num_batches_tracked))
print("batch running mean", [round(v, 4) for v in bn.running_mean.tolist()])
print("instance running var", [round(v, 4) for v in inorm.running_var.tolist()])
print(
    "eval",
    round(normed.std().item(), 4),
    tuple(inormed.shape),
    round(inormed.abs().mean().item(), 4),
)

# a clip classifier's pooling head on the 4-channel features of the first block
with torch.no_grad():
    features = model.down(x)
    pooled = nn.AvgPool3d(2, stride=2, padding=1, count_include_pad=False)(features)
    energy = nn.LPPool3d(2, kernel_size=(2, 2, 2), ceil_mode=True)(pooled)
    peaks, where = F.adaptive_max_pool3d(features, (1, 2, 1), return_indices=True)
print("pooled", tuple(pooled.shape), "energy", tuple(energy.shape), round(energy.mean().item(), 4))
print(
    "peaks",
    [round(v, 4) for v in peaks[0, :, :, 0, 0].flatten().tolist()],
    where[0, 0].flatten().tolist(),
)

# a 1-D decoder: upsample a code sequence to an exact length
decoder = nn.ConvTranspose1d(4, 2, kernel_size=4, stride=2, padding=1)
init_from_numpy(decoder, 1)
code = torch.from_numpy(rng.standard_normal((3, 4, 5)).astype(np.float32))
wave = decoder(code, output_size=[11])
print("decoded", tuple(wave.shape), round(wave.abs().sum().item(), 4), decoder)
signal = F.conv_transpose1d(code, decoder.weight, stride=3, output_padding=1)
print("conv_transpose1d", tuple(signal.shape), round(signal.sum().item(), 4))
