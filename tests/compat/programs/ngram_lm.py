# Word embeddings as the PyTorch NLP tutorial teaches them: a vocabulary built from a text,
# context words looked up with torch.tensor([...], dtype=torch.long), an N-gram language
# model (nn.Embedding, a hidden layer, F.log_softmax, nn.NLLLoss) trained with SGD, then a
# continuous-bag-of-words model. Embedding tables are loaded from a seeded numpy generator.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

CONTEXT_SIZE = 2
EMBEDDING_DIM = 8
test_sentence = """the quick brown fox jumps over the lazy dog while the small brown
cat watches the quick dog run past the lazy fox and the small cat sleeps in the warm
sun near the old tree where the brown fox jumps again""".split()
ngrams = [
    ([test_sentence[i - j - 1] for j in range(CONTEXT_SIZE)], test_sentence[i])
    for i in range(CONTEXT_SIZE, len(test_sentence))
]
print(ngrams[:2])
vocab = sorted(set(test_sentence))
word_to_ix = {word: i for i, word in enumerate(vocab)}
print("vocabulary", len(vocab), "n-grams", len(ngrams))


class NGramLanguageModeler(nn.Module):
    def __init__(self, vocab_size, embedding_dim, context_size):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.linear1 = nn.Linear(context_size * embedding_dim, 32)
        self.linear2 = nn.Linear(32, vocab_size)

    def forward(self, inputs):
        embeds = self.embeddings(inputs).view((1, -1))
        out = F.relu(self.linear1(embeds))
        out = self.linear2(out)
        log_probs = F.log_softmax(out, dim=1)
        return log_probs


def numpy_init(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(gen.normal(0, 0.3, tuple(p.shape)).astype(np.float32)))


losses = []
loss_function = nn.NLLLoss()
model = NGramLanguageModeler(len(vocab), EMBEDDING_DIM, CONTEXT_SIZE)
numpy_init(model, 0)
optimizer = optim.SGD(model.parameters(), lr=0.05)
for epoch in range(6):
    total_loss = 0
    for context, target in ngrams:
        context_idxs = torch.tensor([word_to_ix[w] for w in context], dtype=torch.long)
        model.zero_grad()
        log_probs = model(context_idxs)
        loss = loss_function(log_probs, torch.tensor([word_to_ix[target]], dtype=torch.long))
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    losses.append(total_loss)
print("losses", [round(l, 3) for l in losses])
print("embedding of 'fox'", model.embeddings.weight[word_to_ix["fox"]])
with torch.no_grad():
    log_probs = model(torch.tensor([word_to_ix["the"], word_to_ix["over"]]))
    top = torch.topk(log_probs, 3, dim=1)
print("after 'over the':", [vocab[i] for i in top.indices[0].tolist()], top.values.exp())


# continuous bag of words: predict a word from the two words either side
class CBOW(nn.Module):
    def __init__(self, vocab_size, embedding_dim):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=None)
        self.proj = nn.Linear(embedding_dim, vocab_size)

    def forward(self, inputs):
        return self.proj(self.embeddings(inputs).mean(dim=-2))


data = []
for i in range(2, len(test_sentence) - 2):
    context = [
        test_sentence[i - 2],
        test_sentence[i - 1],
        test_sentence[i + 1],
        test_sentence[i + 2],
    ]
    data.append((context, test_sentence[i]))
contexts = torch.tensor([[word_to_ix[w] for w in c] for c, _ in data], dtype=torch.long)
targets = torch.tensor([word_to_ix[t] for _, t in data], dtype=torch.long)
print("contexts", contexts.shape, contexts.dtype, targets[:6])
cbow = CBOW(len(vocab), EMBEDDING_DIM)
numpy_init(cbow, 1)
optimizer = optim.Adam(cbow.parameters(), lr=0.02)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
for epoch in range(60):
    optimizer.zero_grad()
    loss = criterion(cbow(contexts), targets)
    loss.backward()
    optimizer.step()
    if epoch % 15 == 0:
        print(f"cbow epoch {epoch} loss {loss.item():.4f}")
with torch.no_grad():
    accuracy = (cbow(contexts).argmax(dim=1) == targets).float().mean()
    emb = cbow.embeddings.weight
    sims = F.cosine_similarity(emb[word_to_ix["fox"]].unsqueeze(0), emb, dim=1)
print(f"cbow accuracy {accuracy.item():.4f}")
print("nearest to 'fox'", [vocab[i] for i in sims.argsort(descending=True)[:3].tolist()])

# a frozen pretrained table and a padding index
pretrained = torch.from_numpy(np.arange(12, dtype=np.float32).reshape(4, 3))
frozen = nn.Embedding.from_pretrained(pretrained, padding_idx=0)
print(frozen(torch.LongTensor([[0, 2], [3, 1]])), frozen.weight.requires_grad)
padded = nn.Embedding(5, 2, padding_idx=0)
out = padded(torch.tensor([0, 1, 0, 4]))
out.sum().backward()
print("padding row", padded.weight[0], "grad", padded.weight.grad[:, 0])
