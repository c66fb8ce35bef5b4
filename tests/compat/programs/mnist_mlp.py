# The classic MNIST example without its convolutions: settings in an args object, the
# device picked with torch.accelerator, DataLoaders with worker processes, log_softmax and
# nll_loss, Adadelta with StepLR, a test loop counting correct predictions, a checkpoint.
# The digits are synthetic 8x8 images (no download).
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 48)
        self.fc2 = nn.Linear(48, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


def train(args, model, device, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(
                "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                    epoch,
                    batch_idx * len(data),
                    len(train_loader.dataset),
                    100.0 * batch_idx / len(train_loader),
                    loss.item(),
                )
            )


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print(
        "\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
            test_loss, correct, len(test_loader.dataset), 100.0 * correct / len(test_loader.dataset)
        )
    )


def main():
    args = types.SimpleNamespace(
        batch_size=32,
        test_batch_size=100,
        epochs=3,
        lr=1.0,
        gamma=0.7,
        no_accel=False,
        seed=1,
        log_interval=4,
        save_model=True,
    )
    use_accel = not args.no_accel and torch.accelerator.is_available()
    torch.manual_seed(args.seed)
    if use_accel:
        device = torch.accelerator.current_accelerator()
    else:
        device = torch.device("cpu")

    rng = np.random.default_rng(7)
    strokes = rng.uniform(0, 1, (10, 1, 8, 8)).astype(np.float32)
    targets = np.arange(600) % 10
    images = np.clip(strokes[targets] + 0.3 * rng.standard_normal((600, 1, 8, 8)), 0, 1).astype(
        np.float32
    )
    images = (images - 0.5) / 0.3
    dataset1 = TensorDataset(torch.from_numpy(images[:500]), torch.from_numpy(targets[:500]))
    dataset2 = TensorDataset(torch.from_numpy(images[500:]), torch.from_numpy(targets[500:]))

    train_kwargs = {"batch_size": args.batch_size}
    test_kwargs = {"batch_size": args.test_batch_size}
    accel_kwargs = {
        "num_workers": 1,
        "persistent_workers": True,
        "pin_memory": True,
        "shuffle": False,
    }
    train_kwargs.update(accel_kwargs)
    test_kwargs.update({"num_workers": 1, "pin_memory": True})
    train_loader = DataLoader(dataset1, **train_kwargs)
    test_loader = DataLoader(dataset2, **test_kwargs)

    model = Net().to(device)
    with torch.no_grad():
        for k, p in enumerate(model.parameters()):
            p.copy_(
                torch.from_numpy(
                    np.random.default_rng(k).uniform(-0.1, 0.1, tuple(p.shape)).astype(np.float32)
                )
            )
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()

    if args.save_model:
        torch.save(model.state_dict(), "mnist_mlp.pt")
        state = torch.load("mnist_mlp.pt", map_location=device)
        print("saved", sorted(state), sum(t.numel() for t in state.values()))


if __name__ == "__main__":
    main()
