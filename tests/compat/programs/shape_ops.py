# Shape, indexing, scan and order ops as PyTorch programs use them: a causal attention mask
# (tril, masked_fill), heads split with chunk, top-k accuracy, discounted returns with
# cumsum and flip, a sort of scores, norms for gradient clipping, stacking and new_* tensors.
import math

import torch

torch.set_printoptions(precision=4)

# causal self-attention over 4 positions, 2 heads of 3 features
x = torch.linspace(-1.0, 1.0, 24).reshape(4, 6).requires_grad_(True)
q, k = x.chunk(2, dim=1)
scores = q @ k.T / math.sqrt(q.shape[-1])
mask = torch.ones(4, 4).tril().bool()
attn = scores.masked_fill(~mask, float("-inf")).softmax(-1)
out = attn @ torch.stack(x.split(3, dim=1)).sum(0)
print("attention", attn, out.sum())
out.norm().backward()
print("attention grad", x.grad.norm(), x.grad.norm(1), x.grad.norm(float("inf")))

# top-k accuracy and a sort of the logits
logits = torch.tensor([[0.1, 2.0, -1.0, 0.5], [1.5, 0.2, 0.3, 1.4], [0.0, -0.5, 0.9, 1.0]])
target = torch.tensor([1, 3, 0])
top2 = logits.topk(2, dim=1)
hits = (top2.indices == target.unsqueeze(1)).any(1)
print("top-2 accuracy", hits.float().mean(), top2.values)
values, order = torch.sort(logits, dim=1, descending=True)
print("sorted", values, order, logits.argsort(0))
print("picked", logits.index_select(0, torch.tensor([2, 0])), logits.masked_select(logits > 1))
print("nonzero", (logits > 1).nonzero(), torch.nonzero(logits < 0, as_tuple=True))

# discounted returns G_t = r_t + gamma G_{t+1} through cumsum of scaled rewards
rewards = torch.tensor([1.0, 0.0, 0.5, 2.0], requires_grad=True)
gamma = 0.9
powers = gamma ** torch.arange(4, dtype=torch.float32)
returns = (rewards * powers).flip(0).cumsum(0).flip(0) / powers
returns.sum().backward()
print("returns", returns, rewards.grad)

# products, running products and their gradients where an element is 0
w = torch.tensor([[2.0, 0.0, 3.0], [1.5, -1.0, 0.5]], requires_grad=True)
(w.prod(1).sum() + w.cumprod(1).sum() + torch.prod(w)).backward()
print("prod", w.prod(1), w.cumprod(1), w.grad)

# shapes
v = torch.arange(6).reshape(2, 3)
print(torch.roll(v, 1, 1), v.flip(0), v.triu(1), v.diag(), torch.trace(v))
print(v.repeat(2, 1), v.tile((2,)), v.repeat_interleave(2, dim=0), torch.repeat_interleave(v[0]))
print(torch.hstack([v, v]).shape, torch.vstack([v, v[0]]).shape, v.amin(0), v.cumsum(1).dtype)
a, b = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.5, -1.0, 2.0])
print(torch.dot(a, b), torch.outer(a, b[:2]), a.new_zeros(2), v.new_full((2,), 7), b.type_as(v))
