# Classifying names by their letters, as the character-level RNN tutorials do it, batched:
# names to index tensors, nn.Embedding with padding_idx, pad_sequence(batch_first=True),
# pack_padded_sequence(enforce_sorted=False) into a GRU with batch_first=True, the final hidden
# state to a linear classifier; pad_packed_sequence to read every step's output back, an
# nn.RNN on a packed batch and a per-sequence mean that masks the padding. The names are made
# up (no download) and every weight comes from a seeded numpy generator.
import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

names_by_language = {
    "Italian": ["rossi", "bianchi", "romano", "colombo", "ricci", "marino", "greco", "bruno"],
    "Japanese": ["sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "nakamura", "kato"],
    "Polish": ["nowak", "kowalski", "wojcik", "kaminski", "lewandowski", "zielinski", "mazur"],
}
all_letters = "abcdefghijklmnopqrstuvwxyz"
languages = list(names_by_language)
pairs = [(name, i) for i, lang in enumerate(languages) for name in names_by_language[lang]]
print("names", len(pairs), "languages", languages)


def name_to_tensor(name):
    # index 0 is the padding, letters start at 1
    return torch.tensor([all_letters.index(c) + 1 for c in name], dtype=torch.long)


sequences = [name_to_tensor(name) for name, _ in pairs]
lengths = torch.tensor([len(s) for s in sequences])
labels = torch.tensor([label for _, label in pairs])
padded = pad_sequence(sequences, batch_first=True, padding_value=0)
print("padded", padded.shape, padded.dtype, "lengths", lengths.tolist())
print(padded[:2])


class NameClassifier(nn.Module):
    def __init__(self, n_letters, n_hidden, n_classes):
        super().__init__()
        self.embedding = nn.Embedding(n_letters + 1, 8, padding_idx=0)
        self.gru = nn.GRU(8, n_hidden, batch_first=True)
        self.out = nn.Linear(n_hidden, n_classes)

    def forward(self, x, lengths):
        embedded = self.embedding(x)
        packed = pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
        _, hidden = self.gru(packed)
        return self.out(hidden[-1])


def fill_from_numpy(model, seed, scale=0.4):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.from_numpy(gen.uniform(-scale, scale, tuple(p.shape)).astype(np.float32)))
        if hasattr(model, "embedding"):
            model.embedding.weight[0].fill_(0)


model = NameClassifier(len(all_letters), 16, len(languages))
fill_from_numpy(model, 0)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(40):
    model.train()
    optimizer.zero_grad()
    output = model(padded, lengths)
    loss = criterion(output, labels)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    if epoch % 10 == 0 or epoch == 39:
        accuracy = (output.argmax(1) == labels).float().mean().item()
        print(f"epoch {epoch:2d} loss {loss.item():.4f} accuracy {accuracy:.4f}")

model.eval()
with torch.no_grad():
    for name in ["ferrari", "yamamoto", "nowicki"]:
        logits = model(name_to_tensor(name).unsqueeze(0), torch.tensor([len(name)]))
        probs = torch.softmax(logits, dim=1)[0]
        top_p, top_i = probs.topk(2)
        guesses = [(languages[i], round(p, 3)) for p, i in zip(top_p.tolist(), top_i.tolist())]
        print(name, guesses)

# every step's output back as a padded batch, in the original order
with torch.no_grad():
    embedded = model.embedding(padded[:4])
    packed = pack_padded_sequence(embedded, lengths[:4], batch_first=True, enforce_sorted=False)
    print("batch sizes", packed.batch_sizes.tolist(), "sorted", packed.sorted_indices.tolist())
    out_packed, h_n = model.gru(packed)
    out, out_lengths = pad_packed_sequence(out_packed, batch_first=True, total_length=12)
print("unpacked", out.shape, out_lengths.tolist())
last = out[torch.arange(4), out_lengths - 1]
print("last step equals h_n", torch.allclose(last, h_n[0], atol=1e-6))
print("padding is zero", out[0, out_lengths[0] :].abs().sum().item())
# the mean over the real steps only: mask the padding with the lengths
mask = torch.arange(out.size(1))[None, :] < out_lengths[:, None]
mean = (out * mask.unsqueeze(-1)).sum(1) / out_lengths.unsqueeze(-1)
print("masked mean", mean[:, :3])

# a bidirectional tanh RNN over a sorted packed batch, sequence first, with an initial state
rnn = nn.RNN(8, 6, num_layers=2, bidirectional=True)
fill_from_numpy(rnn, 1)
order = torch.argsort(lengths, descending=True, stable=True)[:5]
batch = pad_sequence([model.embedding(sequences[i]) for i in order.tolist()])
packed = pack_padded_sequence(batch, lengths[order])
h0 = torch.full((4, 5, 6), 0.1)
output, h_n = rnn(packed, h0)
print("rnn data", output.data.shape, "h_n", h_n.shape, output.sorted_indices)
output.data.pow(2).sum().backward()
grad_norms = [round(p.grad.norm().item(), 4) for p in rnn.parameters()][:4]
print("grad norms", grad_norms, h_n[:, 0, :2])
