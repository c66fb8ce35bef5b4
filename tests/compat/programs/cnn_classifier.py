# A small convolutional classifier as the CIFAR-10 style tutorials write it: Conv2d,
# BatchNorm2d, MaxPool2d, a Dropout head, model.train()/eval(), SGD with OneCycleLR stepped
# every batch, accuracy with (out.argmax(1) == y).float().mean(), the state_dict saved and
# loaded into a fresh model. Images are synthetic 3x12x12 "textures" of 4 classes from a seeded
# numpy generator; the weights too, so both libraries start from the same point.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(3)
prototypes = rng.standard_normal((4, 3, 12, 12)).astype(np.float32)
labels = np.arange(256) % 4
images = prototypes[labels] + 3.0 * rng.standard_normal((256, 3, 12, 12)).astype(np.float32)
train_set = TensorDataset(torch.from_numpy(images[:192]), torch.from_numpy(labels[:192]))
test_set = TensorDataset(torch.from_numpy(images[192:]), torch.from_numpy(labels[192:]))
train_loader = DataLoader(train_set, batch_size=32, shuffle=False)
test_loader = DataLoader(test_set, batch_size=64)


class Net(nn.Module):
    def __init__(self, num_classes=4, dropout=0.0):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, kernel_size=3, stride=1, padding=1, bias=False),
            nn.BatchNorm2d(16),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=2, stride=2),
        )
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(16 * 3 * 3, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(x, 1)
        return self.fc(self.dropout(x))


def init_from_numpy(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "weight" in name and p.dim() > 1:
                fan_in = p[0].numel()
                w = gen.standard_normal(tuple(p.shape)) * np.sqrt(2.0 / fan_in)
                p.copy_(torch.from_numpy(w.astype(np.float32)))
            elif "bias" in name:
                nn.init.zeros_(p)


def evaluate(model, loader, loss_fn):
    model.eval()
    total, correct, n = 0.0, 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            out = model(X)
            total += loss_fn(out, y).item() * len(y)
            correct += (out.argmax(1) == y).float().sum().item()
            n += len(y)
    return total / n, correct / n


model = Net()
init_from_numpy(model, 0)
print(model)
print("parameters", sum(p.numel() for p in model.parameters() if p.requires_grad))
print("buffers", [name for name, _ in model.named_buffers()])
x0, _ = next(iter(train_loader))
print("feature map", tuple(model.features[:4](x0).shape), tuple(model.features(x0).shape))

epochs = 3
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader)
)
for epoch in range(epochs):
    model.train()
    running = 0.0
    for i, (inputs, targets) in enumerate(train_loader):
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        loss.backward()
        optimizer.step()
        scheduler.step()
        running += loss.item()
        if i % 3 == 0:
            acc = (outputs.argmax(1) == targets).float().mean().item()
            print(f"[{epoch + 1}, {i + 1}] loss {loss.item():.4f} batch acc {acc:.4f}")
    test_loss, test_acc = evaluate(model, test_loader, loss_fn)
    lr = scheduler.get_last_lr()[0]
    print(
        f"epoch {epoch + 1} train loss {running / len(train_loader):.4f} "
        f"test loss {test_loss:.4f} acc {test_acc:.4f} lr {lr:.5f}"
    )

bn = model.features[1]
print("running mean", bn.running_mean[:4])
print("running var", bn.running_var[:4], "batches tracked", bn.num_batches_tracked.item())

# save the weights, load them into a new model, check the predictions agree
torch.save(model.state_dict(), "cnn.pth")
restored = Net()
restored.load_state_dict(torch.load("cnn.pth", weights_only=True))
restored.eval()
model.eval()
with torch.no_grad():
    X, y = next(iter(test_loader))
    same = torch.equal(restored(X), model(X))
    probs = F.softmax(restored(X[:3]), dim=1)
print("restored equal", same, "keys", len(restored.state_dict()))
print("probabilities", [[round(p, 4) for p in row] for row in probs.tolist()])

# dropout: identity in eval mode, zero-or-scaled in train mode
drop = nn.Dropout(p=0.5)
ones = torch.ones(1000)
drop.eval()
print("eval dropout is identity", torch.equal(drop(ones), ones))
drop.train()
kept = drop(ones)
print("train dropout values", torch.unique(kept).tolist(), "training", drop.training)
