"""A surrogate of one's own, written as a ``tnn.autograd.Function`` (PyTorch's form, as in
snnTorch's tutorials), is used by the layers like the built-in ones and trains a network."""

import numpy as np

import tinygrad_nn as tnn
from tinygrad_nn import nn, snn


class BoxcarSpike(tnn.autograd.Function):
    """Step forward; backward 1/(2w) inside |x| < w, 0 outside (a rectangular surrogate)."""

    width = 0.5

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        inside = (x.abs() < BoxcarSpike.width).to(grad.dtype)
        return grad * inside / (2 * BoxcarSpike.width)


def test_custom_surrogate_forward_is_the_step_and_backward_its_own_rule():
    layer = snn.Leaky(beta=0.5, spike_grad=BoxcarSpike.apply)
    x = tnn.tensor([[0.8, 1.2, 2.0]], requires_grad=True)
    spk, _ = layer(x)
    spk.sum().backward()
    np.testing.assert_array_equal(spk.detach().numpy(), [[0, 1, 1]])
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 1.0, 0.0]])


def test_custom_surrogate_trains_a_spiking_network():
    tnn.manual_seed(0)
    x = tnn.rand(32, 8)
    y = tnn.tensor((x.numpy()[:, :4].sum(1) > x.numpy()[:, 4:].sum(1)).astype(np.int64))
    net = nn.Sequential(
        nn.Linear(8, 16),
        snn.Leaky(0.8, spike_grad=BoxcarSpike.apply, init_hidden=True),
        nn.Linear(16, 2),
        snn.Leaky(0.8, spike_grad=BoxcarSpike.apply, init_hidden=True),
    )
    opt = tnn.optim.Adam(net.parameters(), lr=1e-2)
    loss_fn = snn.functional.ce_count_loss()
    losses = []
    for _ in range(40):
        snn.utils.reset(net)
        spk = tnn.stack([net(x_t) for x_t in snn.spikegen.rate(x, num_steps=10)])
        loss = loss_fn(spk, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert np.mean(losses[-5:]) < 0.6 * np.mean(losses[:5])
    assert snn.functional.accuracy_rate(spk, y) >= 0.85
