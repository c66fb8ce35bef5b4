# Softmax regression and a multilayer perceptron, from scratch and concisely, as the d2l
# chapters write them, on a small synthetic three-class problem.
import numpy as np
import torch
from torch import nn
from torch.utils import data

rng = np.random.default_rng(5)
centres = rng.standard_normal((3, 16)).astype(np.float32)
y_all = np.arange(300) % 3
X_all = centres[y_all] + rng.standard_normal((300, 16)).astype(np.float32)
train_iter = data.DataLoader(
    data.TensorDataset(
        torch.from_numpy(X_all[:240]).reshape(-1, 4, 4), torch.from_numpy(y_all[:240])
    ),
    30,
)
test_iter = data.DataLoader(
    data.TensorDataset(
        torch.from_numpy(X_all[240:]).reshape(-1, 4, 4), torch.from_numpy(y_all[240:])
    ),
    30,
)
num_inputs, num_outputs = 16, 3

X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(X.sum(0, keepdim=True), X.sum(1, keepdim=True))


def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition


class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def train_epoch(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def train(net, loss, updater, num_epochs=3):
    for epoch in range(num_epochs):
        train_loss, train_acc = train_epoch(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        print(
            f"epoch {epoch + 1}: loss {train_loss:.5f} train acc {train_acc:.4f} test acc {test_acc:.4f}"
        )


def fixed(*shape, scale=0.01, seed=0):
    return torch.from_numpy(
        np.random.default_rng(seed).standard_normal(shape).astype(np.float32) * scale
    )


# softmax regression from scratch
W = torch.normal(0, 0.01, size=(num_inputs, num_outputs), requires_grad=True)
W = fixed(num_inputs, num_outputs).requires_grad_(True)
b = torch.zeros(num_outputs, requires_grad=True)


def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y], cross_entropy(y_hat, y), accuracy(y_hat, y) / len(y))
train(net, cross_entropy, lambda batch_size: sgd([W, b], 0.1, batch_size))

# softmax regression, concise
net = nn.Sequential(nn.Flatten(), nn.Linear(num_inputs, num_outputs))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)
        with torch.no_grad():
            m.weight.copy_(fixed(*m.weight.shape, seed=1))
            m.bias.zero_()


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction="none")
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
train(net, loss, trainer)

# MLP from scratch
num_hiddens = 32
W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens, requires_grad=True) * 0.01)
W1 = nn.Parameter(fixed(num_inputs, num_hiddens, scale=0.1, seed=2))
b1 = nn.Parameter(torch.zeros(num_hiddens, requires_grad=True))
W2 = nn.Parameter(fixed(num_hiddens, num_outputs, scale=0.1, seed=3))
b2 = nn.Parameter(torch.zeros(num_outputs, requires_grad=True))
params = [W1, b1, W2, b2]


def relu(X):
    a = torch.zeros_like(X)
    return torch.max(X, a)


def net(X):
    X = X.reshape((-1, num_inputs))
    H = relu(X @ W1 + b1)
    return H @ W2 + b2


updater = torch.optim.SGD(params, lr=0.1)
train(net, nn.CrossEntropyLoss(reduction="none"), updater)

# MLP, concise
net = nn.Sequential(nn.Flatten(), nn.Linear(16, num_hiddens), nn.ReLU(), nn.Linear(num_hiddens, 3))
net.apply(init_weights)
train(net, nn.CrossEntropyLoss(reduction="none"), torch.optim.SGD(net.parameters(), lr=0.1))
