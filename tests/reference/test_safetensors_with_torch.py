"""A CNN's state_dict moves between PyTorch and tinygrad_nn through a .safetensors file,
in both directions, and both frameworks then compute the same outputs."""

import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt

torch = tt.reference_library("torch")


def cnn(m):
    return m.Sequential(
        m.Conv2d(1, 4, 3, padding=1),
        m.BatchNorm2d(4),
        m.ReLU(),
        m.MaxPool2d(2),
        m.Flatten(),
        m.Linear(4 * 4 * 4, 10),
    )


X = np.random.default_rng(0).standard_normal((3, 1, 8, 8)).astype(np.float32)


def _trained_bn(model, x):
    """One training forward so the running statistics are not the defaults."""
    model.train()
    model(x)
    model.eval()
    return model


def test_torch_state_dict_loads_in_tinygrad_nn(tmp_path):
    theirs = _trained_bn(cnn(torch.nn), torch.tensor(X))
    path = tmp_path / "torch.safetensors"
    tnn.save({k: v.numpy() for k, v in theirs.state_dict().items()}, path)
    ours = cnn(nn)
    ours.load_state_dict(tnn.load(path))
    ours.eval()
    with torch.no_grad():
        expected = theirs(torch.tensor(X)).numpy()
    np.testing.assert_allclose(ours(tnn.tensor(X)).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_tinygrad_nn_state_dict_loads_in_torch(tmp_path):
    ours = _trained_bn(cnn(nn), tnn.tensor(X))
    path = tmp_path / "ours.safetensors"
    tnn.save(ours.state_dict(), path)
    try:
        from safetensors.torch import load_file  # the reference reader, when installed
    except ImportError:
        load_file = None
    if load_file is not None:
        state = load_file(str(path))
    else:
        state = {k: torch.from_numpy(v.numpy()) for k, v in tnn.load(path).items()}
    theirs = cnn(torch.nn)
    theirs.load_state_dict(state)
    theirs.eval()
    assert int(theirs[1].num_batches_tracked) == 1
    with torch.no_grad():
        expected = theirs(torch.tensor(X)).numpy()
    np.testing.assert_allclose(ours(tnn.tensor(X)).detach().numpy(), expected, rtol=1e-5, atol=1e-6)
