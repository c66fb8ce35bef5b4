# Knowledge distillation, as tutorials write it: a teacher with several heads in an
# nn.ModuleDict, a smaller student trained on the teacher's softened probabilities with
# nn.KLDivLoss(reduction="batchmean") plus cross-entropy on the labels. Weights are set from
# a seeded numpy generator, so both libraries start alike; training is full-batch.
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

rng = np.random.default_rng(11)
n, d, classes = 120, 6, 3
X = torch.from_numpy(rng.standard_normal((n, d)).astype(np.float32))
centres = torch.from_numpy(rng.standard_normal((classes, d)).astype(np.float32)) * 1.5
# labels: the nearest centre, by an einsum of squared distances
dist = torch.einsum("nd,nd->n", X, X)[:, None] - 2 * torch.einsum("nd,cd->nc", X, centres)
dist = dist + torch.einsum("cd,cd->c", centres, centres)
y = dist.argmin(dim=1)
print("class counts", torch.bincount(y, minlength=classes).tolist())
labels, inverse = torch.unique(y, return_inverse=True)
print("labels", labels.tolist(), "inverse matches", torch.equal(labels[inverse], y))

# one-hot targets with scatter_, as many tutorials build them
one_hot = torch.zeros(n, classes).scatter_(1, y.unsqueeze(1), 1.0)
print("one-hot rows sum to", one_hot.sum(dim=1).unique().tolist())


def set_weights(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for _, p in model.named_parameters():
            p.copy_(torch.from_numpy(gen.normal(0, 0.4, tuple(p.shape)).astype(np.float32)))


class MultiHead(nn.Module):
    def __init__(self, hidden, act):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d, hidden), act)
        self.heads = nn.ModuleDict(
            {"classes": nn.Linear(hidden, classes), "centre": nn.Linear(hidden, 2)}
        )

    def forward(self, x):
        h = self.body(x)
        return {name: head(h) for name, head in self.heads.items()}


teacher = MultiHead(32, nn.Mish())
student = MultiHead(8, nn.PReLU())
set_weights(teacher, 1)
set_weights(student, 2)
print(student)
print(list(student.state_dict().keys()))
print("heads", list(student.heads.keys()), "has centre:", "centre" in student.heads)

# train the teacher on the labels first
opt = torch.optim.Adam(teacher.parameters(), lr=0.02)
for step in range(150):
    loss = F.cross_entropy(teacher(X)["classes"], y)
    opt.zero_grad()
    loss.backward()
    opt.step()
with torch.no_grad():
    t_logits = teacher(X)["classes"]
print(
    "teacher loss {:.4f} accuracy {:.4f}".format(
        loss.item(), (t_logits.argmax(1) == y).float().mean()
    )
)

T = 2.0
kl = nn.KLDivLoss(reduction="batchmean")
opt = torch.optim.SGD(student.parameters(), lr=0.2, momentum=0.9)
soft_targets = F.softmax(t_logits / T, dim=1)
for step in range(120):
    s_logits = student(X)["classes"]
    distill = kl(F.log_softmax(s_logits / T, dim=1), soft_targets) * T * T
    hard = F.cross_entropy(s_logits, y)
    loss = 0.7 * distill + 0.3 * hard
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 30 == 0:
        print(f"step {step} distill {distill.item():.4f} hard {hard.item():.4f}")

with torch.no_grad():
    s_logits = student(X)["classes"]
    agree = (s_logits.argmax(1) == t_logits.argmax(1)).float().mean()
    cos = nn.CosineSimilarity(dim=1)(s_logits, t_logits)
    gap = nn.PairwiseDistance(p=2)(F.softmax(s_logits, 1), F.softmax(t_logits, 1))
print("student agrees with the teacher on {:.4f}".format(agree.item()))
print("mean cosine {:.4f}, mean gap {:.4f}".format(cos.mean().item(), gap.mean().item()))
print("PReLU slope {:.4f}".format(student.body[1].weight.item()))

# the per-class KL of the student from the teacher, one row per class
per_sample = F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1), reduction="none")
per_sample = per_sample.sum(1)
for c, rows in enumerate(torch.unbind(one_hot, dim=1)):
    print(f"class {c} mean KL {(per_sample * rows).sum().item() / rows.sum().item():.4f}")
# the same divergence with the target given as log-probabilities
same = F.kl_div(
    F.log_softmax(s_logits, 1), F.log_softmax(t_logits, 1), reduction="batchmean", log_target=True
)
print("batchmean KL {:.4f} = {:.4f}".format(same.item(), per_sample.mean().item()))
print("hardtanh of the margins", F.hardtanh(s_logits[:4, 0] - s_logits[:4, 1], -1.0, 1.0))
