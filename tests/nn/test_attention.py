"""scaled_dot_product_attention: its gradient with respect to the query, key, value and a
float mask equals central differences in float64 (every element, a random upstream
gradient) for drawn batch shapes that broadcast, sequence lengths, masks and scales; a query
that may attend to nothing gives zeros and no NaN gradient; ``is_causal`` is the lower
triangle; the layers keep torch's parameter names and initialisation, the stacks hold deep
copies."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F


@pytest.fixture(autouse=True)
def _rng_left_as_it_was():
    """The random initialisations here do not change the draws of the tests after them."""
    state = tnn.get_rng_state()
    yield
    tnn.set_rng_state(state)


@st.composite
def attention_cases(draw):
    """Query, key and value of broadcastable batch shapes, a mask kind, a scale and a seeded
    rng for the mask."""
    batch_q, batch_kv = draw(tt.broadcastable_shapes(2, max_dims=2, max_side=2))
    length, source, e, ev = (draw(st.integers(1, 3)) for _ in range(4))
    q = draw(tt.tensors(shape=(*batch_q, length, e)))
    k = draw(tt.tensors(shape=(*batch_kv, source, e)))
    v = draw(tt.tensors(shape=(*batch_kv, source, ev)))
    mask = draw(st.sampled_from(["none", "bool", "float", "causal"]))
    scale = draw(st.sampled_from([None, 0.5]))
    return q, k, v, mask, scale, np.random.default_rng(draw(st.integers(0, 2**16)))


@given(attention_cases())
def test_attention_gradient_matches_finite_differences(case):
    q, k, v, mask, scale, rng = case
    shape = (q.shape[-2], k.shape[-2])
    inputs, kw = [q, k, v], dict(scale=scale, is_causal=mask == "causal")
    if mask == "bool":  # some rows may attend to nothing: zeros, gradient 0
        kw["attn_mask"] = tnn.tensor(rng.random(shape) < 0.7)
    if mask == "float":  # the mask is an input too
        inputs.append(tnn.tensor(rng.standard_normal(shape), requires_grad=True))

    def attention(*xs):
        extra = dict(attn_mask=xs[3]) if len(xs) > 3 else {}
        return F.scaled_dot_product_attention(*xs[:3], **kw, **extra)

    assert tt.check_grad(attention, inputs)


def _qkv(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [
        tnn.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True)
        for s in ((2, 3, 4), (2, 5, 4), (2, 5, 6))
    ]


def test_query_that_may_attend_to_nothing_gives_zeros_and_zero_gradient():
    q, k, v = _qkv()
    mask = np.ones((3, 5), bool)
    mask[1] = False
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=tnn.tensor(mask))
    out.sum().backward()
    np.testing.assert_array_equal(out.detach().numpy()[:, 1], 0.0)
    np.testing.assert_array_equal(q.grad.numpy()[:, 1], 0.0)
    assert np.isfinite(k.grad.numpy()).all()


def test_is_causal_is_the_lower_triangle_mask():
    q, k, v = _qkv()
    causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    masked = F.scaled_dot_product_attention(q, k, v, attn_mask=tnn.ones(3, 5).tril().bool())
    np.testing.assert_array_equal(causal.detach().numpy(), masked.detach().numpy())


def test_float_mask_is_added_to_the_scaled_scores():
    q, k, v = _qkv()
    bias = np.random.default_rng(1).standard_normal((3, 5))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=tnn.tensor(bias), scale=0.3)
    scores = q.detach().numpy() @ k.detach().numpy().swapaxes(-1, -2) * 0.3 + bias
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(out.detach().numpy(), weights @ v.detach().numpy(), rtol=1e-12)


def test_dropout_one_drops_every_weight():
    q, k, v = _qkv()
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=1.0)
    np.testing.assert_array_equal(out.detach().numpy(), 0.0)


def test_multihead_attention_initialisation_is_torchs():
    mha = nn.MultiheadAttention(64, 4, add_bias_kv=True)
    bound = math.sqrt(6 / (64 + 3 * 64))  # xavier-uniform of (3E, E)
    w = mha.in_proj_weight.detach().numpy()
    assert w.shape == (192, 64) and np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    np.testing.assert_array_equal(mha.in_proj_bias.detach().numpy(), 0.0)
    np.testing.assert_array_equal(mha.out_proj.bias.detach().numpy(), 0.0)
    assert mha.bias_k.shape == (1, 1, 64) and mha.bias_k.detach().numpy().std() > 0


def test_multihead_attention_with_other_key_and_value_sizes_has_separate_weights():
    mha = nn.MultiheadAttention(6, 2, kdim=4, vdim=5)
    assert [(n, p.shape) for n, p in mha.named_parameters()] == [
        ("q_proj_weight", (6, 6)),
        ("k_proj_weight", (6, 4)),
        ("v_proj_weight", (6, 5)),
        ("in_proj_bias", (18,)),
        ("out_proj.weight", (6, 6)),
        ("out_proj.bias", (6,)),
    ]
    assert mha.in_proj_weight is None


def test_multihead_attention_refuses_heads_that_do_not_divide_the_embedding():
    with pytest.raises(AssertionError, match="divisible"):
        nn.MultiheadAttention(6, 4)
    with pytest.raises(ValueError, match="greater than 0"):
        nn.MultiheadAttention(0, 1)


def test_encoder_stack_holds_independent_deep_copies_without_gradients():
    layer = nn.TransformerEncoderLayer(4, 2, 8)
    layer(tnn.randn(3, 2, 4)).sum().backward()
    stack = nn.TransformerEncoder(layer, 2)
    first, second = (m.linear1.weight for m in stack.layers)
    assert first is not second and first is not layer.linear1.weight
    np.testing.assert_array_equal(first.detach().numpy(), layer.linear1.weight.detach().numpy())
    assert first.grad is None and first.requires_grad
    with tnn.no_grad():
        first.add_(1.0)
    assert not np.array_equal(first.detach().numpy(), second.detach().numpy())


def test_square_subsequent_mask_hides_later_positions():
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert mask.dtype == np.float32
    np.testing.assert_array_equal(mask.numpy(), [[0, -np.inf, -np.inf], [0, 0, -np.inf], [0, 0, 0]])


def test_transformer_refuses_other_batch_or_feature_sizes():
    model = nn.Transformer(4, 2, 1, 1, 8)
    with pytest.raises(RuntimeError, match="batch number"):
        model(tnn.randn(5, 2, 4), tnn.randn(3, 1, 4))
    with pytest.raises(RuntimeError, match="d_model"):
        model(tnn.randn(5, 2, 3), tnn.randn(3, 2, 3))
    with pytest.raises(RuntimeError, match="relu/gelu"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")
