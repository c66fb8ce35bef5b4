# Tensor idioms that training code leans on, as people write them: Q-values of the taken
# actions with gather, one-hot and histograms with scatter_/scatter_add_/index_add_, where
# and clamp for safe losses, boolean-mask reads and writes, a padding mask in batched
# attention (einsum, masked_fill), beam-search style topk over flattened scores, sampling
# thresholds with cumsum and searchsorted, a no_grad evaluation loop, and manual_seed for
# reproducible draws (only their shapes and statistics-free facts are printed).
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=4)

# --- gather: the Q-value of the action taken, and its gradient
q_values = torch.tensor(
    [[0.5, 1.5, -0.2], [2.0, 0.1, 0.3], [-1.0, 0.0, 1.0], [0.7, 0.7, 0.2]], requires_grad=True
)
actions = torch.tensor([1, 0, 2, 1])
taken = q_values.gather(1, actions.unsqueeze(1)).squeeze(1)
rewards = torch.tensor([1.0, 0.0, -1.0, 0.5])
dones = torch.tensor([False, True, False, False])
next_max = q_values.detach().max(dim=1).values
target = rewards + 0.9 * next_max * (~dones).float()
loss = F.smooth_l1_loss(taken, target)
loss.backward()
print("taken", taken, "target", target, "loss", loss.item())
print("q grad", q_values.grad)
print("greedy", q_values.argmax(dim=1, keepdim=True).squeeze(-1).tolist())

# --- scatter: one-hot, per-class sums and counts
labels = torch.tensor([2, 0, 1, 2, 2, 0])
one_hot = torch.zeros(len(labels), 3).scatter_(1, labels.unsqueeze(1), 1.0)
print("one-hot equals F.one_hot", torch.equal(one_hot.long(), F.one_hot(labels, 3)))
values = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
sums = torch.zeros(3).scatter_add_(0, labels, values)
counts = torch.zeros(3).index_add_(0, labels, torch.ones(6))
print("class sums", sums, "counts", counts, "means", sums / counts)
print("bincount", torch.bincount(labels).tolist(), torch.bincount(labels, weights=values))
w = torch.ones(3, requires_grad=True)
torch.zeros(6).scatter_add(0, torch.tensor([0, 1, 1, 2, 5, 5]), w.repeat(2)).pow(2).sum().backward()
print("scatter_add grad", w.grad)

# --- where and clamp: a loss that never takes the log of 0, and its gradient
p = torch.tensor([0.0, 0.3, 1.0, 0.9], requires_grad=True)
y = torch.tensor([0.0, 1.0, 1.0, 0.0])
safe = torch.clamp(p, 1e-6, 1 - 1e-6)
bce = torch.where(y > 0.5, -torch.log(safe), -torch.log1p(-safe)).mean()
bce.backward()
print("bce", round(bce.item(), 5), "grad", p.grad)
print("nonzero positions", torch.where(y > 0.5)[0].tolist(), (p > 0.5).nonzero().flatten().tolist())

# --- boolean masks: read, write in place, and gradient through a masked read
x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], requires_grad=True)
positives = x[x > 0]
positives.sum().backward()
print("positives", positives, "grad", x.grad)
z = x.detach().clone()
z[z < 0] = 0.0
z[:, 1] += 10
print("written", z, "any", (z > 8).any().item(), "all rows", (z >= 0).all(dim=1).tolist())
z.clamp_(max=12.0)
print("clamped", z.sum().item(), torch.clamp(x, min=-1).detach().tolist())

# --- batched attention with a padding mask
torch.manual_seed(0)
batch, steps, dim = 2, 4, 3
seq = torch.arange(batch * steps * dim, dtype=torch.float32).reshape(batch, steps, dim) / 10
seq = torch.sin(seq).requires_grad_(True)
lengths = torch.tensor([4, 2])
pad = torch.arange(steps)[None, :] >= lengths[:, None]  # (batch, steps), True on padding
scores = torch.einsum("bqd,bkd->bqk", seq, seq) / dim**0.5
scores = scores.masked_fill(pad[:, None, :], float("-inf"))
attn = torch.softmax(scores, dim=-1)
context = torch.einsum("bqk,bkd->bqd", attn, seq)
print("attention row sums", attn.sum(-1))
print("no weight on padding", attn[1, :, 2:].abs().max().item())
context[~pad].sum().backward()
print("context", context[1, :2], "seq grad norm", round(seq.grad.norm().item(), 4))
print("bmm matches einsum", torch.allclose(torch.bmm(attn, seq), context))

# --- beam search step: topk over the flattened beam x vocabulary scores
beam_scores = torch.tensor([-0.5, -1.2])
log_probs = torch.log_softmax(torch.tensor([[1.0, 2.0, 0.5, 0.1], [3.0, 0.2, 0.1, 0.0]]), -1)
total = (beam_scores[:, None] + log_probs).view(-1)
best, flat = total.topk(3)
print(
    "beams", torch.div(flat, 4, rounding_mode="floor").tolist(), "tokens", (flat % 4).tolist(), best
)
ranked, order = torch.sort(total, descending=True, stable=True)
print("rank of each", torch.argsort(order).tolist(), ranked[:2])

# --- sampling by inverse CDF, deterministic thresholds
probs = torch.tensor([0.1, 0.2, 0.3, 0.4])
cdf = torch.cumsum(probs, dim=0)
u = torch.tensor([0.05, 0.25, 0.31, 0.99])
print("cdf", cdf, "samples", torch.searchsorted(cdf, u).tolist())
print(
    "bucketize", torch.bucketize(torch.tensor([0.0, 0.5, 2.0]), torch.tensor([0.1, 1.0])).tolist()
)

# --- cat, stack, chunk, split, padding and expand
a, b = torch.arange(6).view(2, 3), torch.arange(6, 12).view(2, 3)
print(torch.cat([a, b], dim=1).shape, torch.stack([a, b]).shape, torch.stack([a, b], -1).shape)
first, second = torch.cat([a, b]).chunk(2, dim=0)
print(torch.equal(first, a), [t.shape for t in torch.split(b, [1, 2], dim=1)])
print(F.pad(a, (1, 2), value=-1), a[:, None, :].expand(2, 2, 3).sum().item())
print(torch.unique(torch.tensor([3, 1, 3, 2, 1, 3]), return_counts=True))

# --- reproducible draws with manual_seed, and a no_grad evaluation loop
torch.manual_seed(42)
first_draw = torch.randn(3, 4)
torch.manual_seed(42)
print("same draws", torch.equal(first_draw, torch.randn(3, 4)), first_draw.shape)
weights = torch.linspace(-1, 1, 12).view(4, 3).requires_grad_(True)
batches = [torch.linspace(0, 1, 8).view(2, 4) + k for k in range(3)]
correct = total_seen = 0
with torch.no_grad():
    for inputs in batches:
        logits = inputs @ weights
        correct += (logits.argmax(1) == torch.tensor([2, 2])).sum().item()
        total_seen += inputs.size(0)
print("eval accuracy", correct / total_seen, "grad tracked", logits.requires_grad)
