"""scaled_dot_product_attention and MultiheadAttention against PyTorch: the same outputs and
gradients (of the inputs, a float mask and every parameter, with torch's weights loaded
through ``load_state_dict``) in float64 and in float32 at rtol 1e-5, for bool, float and
causal masks, key padding, batch_first both ways, unbatched inputs, separate key/value
sizes, ``add_bias_kv`` and ``add_zero_attn``; the same parameter names and errors."""

import numpy as np
import pytest

import tinygrad_nn as tnn
from tinygrad_nn import nn
from tinygrad_nn import testing as tt
from tinygrad_nn.nn import functional as F

torch = tt.reference_library("torch")


@pytest.fixture(autouse=True)
def _seeded_rngs():
    """torch's weights drawn from a seed here, and both libraries' generators left as they
    were: the tests after these do not see other random draws because these exist."""
    state = tnn.get_rng_state()
    with torch.random.fork_rng():
        torch.manual_seed(0)
        yield
    tnn.set_rng_state(state)


TOL = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=1e-5, atol=1e-6)}
TORCH_DTYPE = {np.float64: "float64", np.float32: "float32"}


def _both(array, grad=True):
    """The same array as our tensor and torch's (a float one requiring grad)."""
    grad = grad and array.dtype.kind == "f"
    return tnn.tensor(array, requires_grad=grad), torch.tensor(array, requires_grad=grad)


def _compare(got, want, ours, theirs, dtype):
    """``got`` and ``want`` (ours, torch's) agree, then so do the gradients of ``ours`` and
    ``theirs`` (tensors or modules) after a backward of one random weighted sum."""
    tol = TOL[dtype]
    got, want = [g for g in got if g is not None], [w for w in want if w is not None]
    assert [tuple(g.shape) for g in got] == [tuple(w.shape) for w in want]
    for g, w in zip(got, want):
        assert str(g.dtype) == str(w.dtype).removeprefix("torch.")
        np.testing.assert_allclose(g.detach().numpy(), w.detach().numpy(), **tol)
    rng = np.random.default_rng(1)
    upstream = [rng.standard_normal(tuple(w.shape)).astype(dtype) for w in want]
    sum((g * tnn.from_numpy(u)).sum() for g, u in zip(got, upstream)).backward()
    sum((w * torch.tensor(u)).sum() for w, u in zip(want, upstream)).backward()
    pairs = []
    for o, t in zip(ours, theirs):
        if isinstance(o, nn.Module):
            names = [n for n, _ in o.named_parameters()]
            assert names == [n for n, _ in t.named_parameters()]
            pairs += zip(names, o.parameters(), t.parameters())
        else:
            pairs.append(("input", o, t))
    for name, o, t in pairs:  # a float32 sum over many terms is good to its largest term
        expected = t.grad.numpy()
        atol = max(tol["atol"], tol["rtol"] * np.abs(expected).max(initial=0))
        np.testing.assert_allclose(
            o.grad.numpy(), expected, rtol=tol["rtol"], atol=atol, err_msg=name
        )


# -- scaled_dot_product_attention ---------------------------------------------------------

# name -> (query, key, value shapes, keywords, mask: None | "bool" | "float" | "dead_row")
SDPA_CASES = {
    "plain": ((2, 3, 4), (2, 5, 4), (2, 5, 6), {}, None),
    "heads_and_broadcast_batch": ((2, 3, 4, 4), (1, 3, 5, 4), (1, 3, 5, 2), {}, None),
    "unbatched": ((3, 4), (5, 4), (5, 2), {}, None),
    "causal_longer_source": ((2, 3, 4), (2, 5, 4), (2, 5, 4), dict(is_causal=True), None),
    "causal_longer_query": ((2, 5, 4), (2, 3, 4), (2, 3, 4), dict(is_causal=True), None),
    "bool_mask": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), {}, "bool"),
    "float_mask_and_scale": ((2, 3, 4), (2, 5, 4), (2, 5, 4), dict(scale=0.3), "float"),
    "row_attending_to_nothing": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {}, "dead_row"),
    "grouped_query": ((1, 4, 3, 2), (1, 2, 5, 2), (1, 2, 5, 3), dict(enable_gqa=True), None),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", SDPA_CASES)
def test_scaled_dot_product_attention_matches_torch(case, dtype):
    *shapes, kw, mask = SDPA_CASES[case]
    rng = np.random.default_rng(0)
    ours, theirs = (
        list(x) for x in zip(*(_both(rng.standard_normal(s).astype(dtype)) for s in shapes))
    )
    our_kw, their_kw = dict(kw), dict(kw)
    mask_shape = (shapes[0][-2], shapes[1][-2])
    if mask == "float":  # an input with a gradient
        float_mask = _both(rng.standard_normal(mask_shape).astype(dtype))
        ours.append(float_mask[0]), theirs.append(float_mask[1])
        our_kw["attn_mask"], their_kw["attn_mask"] = float_mask
    elif mask is not None:
        allowed = rng.random(mask_shape) < 0.6
        allowed[:, 0] = True  # every query may attend to a key ...
        allowed[0] = allowed[0] if mask == "bool" else False  # ... or the first to none
        our_kw["attn_mask"], their_kw["attn_mask"] = _both(allowed)
    got = F.scaled_dot_product_attention(*ours[:3], **our_kw)
    want = torch.nn.functional.scaled_dot_product_attention(*theirs[:3], **their_kw)
    _compare([got], [want], ours, theirs, dtype)


BAD_SDPA = {
    "key_of_other_width": ((2, 3, 4), (2, 5, 3), (2, 5, 4), {}),
    "value_of_other_length": ((2, 3, 4), (2, 5, 4), (2, 4, 4), {}),
    "one_dim_query": ((4,), (5, 4), (5, 4), {}),
    "mask_with_causal": (
        (3, 4),
        (5, 4),
        (5, 4),
        dict(attn_mask=np.ones((3, 5), bool), is_causal=True),
    ),
    "mask_too_big": ((2, 3, 4), (2, 5, 4), (2, 5, 4), dict(attn_mask=np.zeros((7, 2, 3, 5)))),
    "mask_not_broadcasting": ((2, 3, 4), (2, 5, 4), (2, 5, 4), dict(attn_mask=np.zeros((4, 5)))),
    "integer_mask": ((3, 4), (5, 4), (5, 4), dict(attn_mask=np.zeros((3, 5), np.int64))),
    "float64_mask_float32_query": ((3, 4), (5, 4), (5, 4), dict(attn_mask=np.zeros((3, 5)))),
    "heads_not_grouping": ((1, 4, 3, 2), (1, 3, 5, 2), (1, 3, 5, 2), dict(enable_gqa=True)),
}


@pytest.mark.parametrize("case", BAD_SDPA)
def test_scaled_dot_product_attention_errors_are_torchs(case):
    *shapes, kw = BAD_SDPA[case]
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]

    def call(lib):
        mask = kw.get("attn_mask")
        extra = {} if mask is None else dict(attn_mask=lib.tensor(mask))
        tensors = [lib.tensor(a) for a in arrays]
        lib.nn.functional.scaled_dot_product_attention(*tensors, **{**kw, **extra})

    tt.assert_same_error(call, tnn, torch)


def test_scaled_dot_product_attention_refuses_mixed_dtypes_as_torch():
    q = np.zeros((3, 4), np.float32)
    call = lambda lib: lib.nn.functional.scaled_dot_product_attention(  # noqa: E731
        lib.tensor(q), lib.tensor(q.astype(np.float64)), lib.tensor(q)
    )
    tt.assert_same_error(call, tnn, torch)


# -- MultiheadAttention --------------------------------------------------------------------

E, L, S, N = 6, 4, 5, 3

# name -> (constructor keywords, forward keywords, masks: a subset of {"causal", "padding",
# "float"}, batched?)
MHA_CASES = {
    "defaults": (dict(), dict(), (), True),
    "batch_first_no_weights": (dict(batch_first=True), dict(need_weights=False), (), True),
    "causal": (dict(), dict(), ("causal",), True),
    "causal_hint_no_weights": (
        dict(batch_first=True),
        dict(need_weights=False, is_causal=True),
        ("causal",),
        True,
    ),
    "key_padding": (dict(batch_first=True), dict(), ("padding",), True),
    "causal_and_padding_per_head": (
        dict(),
        dict(average_attn_weights=False),
        ("causal", "padding"),
        True,
    ),
    "float_mask_no_weights": (dict(), dict(need_weights=False), ("float",), True),
    "no_bias": (dict(bias=False), dict(), ("causal",), True),
    "kdim_vdim_bias_kv_zero_attn": (
        dict(kdim=4, vdim=5, add_bias_kv=True, add_zero_attn=True, batch_first=True),
        dict(),
        ("padding", "causal"),
        True,
    ),
    "unbatched": (dict(batch_first=True), dict(), ("causal", "padding"), False),
    "eval_dropout": (dict(dropout=0.5), dict(), ("causal",), True),
}


def _mha_pair(dtype, **kw):
    """The same MultiheadAttention from both libraries, torch's weights loaded into ours."""
    theirs = torch.nn.MultiheadAttention(E, 3, **kw).to(getattr(torch, TORCH_DTYPE[dtype]))
    ours = nn.MultiheadAttention(E, 3, **kw, dtype=dtype)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    ours.eval(), theirs.eval()
    return ours, theirs


def _masks(kinds, batched, rng, dtype):
    """Forward keywords for both libraries: a causal (L, S) bool mask (True = may not
    attend), a float (L, S) mask, a key-padding mask hiding the last keys of one sample."""
    ours, theirs = {}, {}
    if "causal" in kinds:
        ours["attn_mask"], theirs["attn_mask"] = _both(np.triu(np.ones((L, S), bool), 1))
    if "float" in kinds:
        mask = rng.standard_normal((L, S)).astype(dtype)
        ours["attn_mask"], theirs["attn_mask"] = _both(mask, grad=False)
    if "padding" in kinds:
        pad = np.zeros((N, S), bool)
        pad[0, -2:] = True
        ours["key_padding_mask"], theirs["key_padding_mask"] = _both(pad if batched else pad[0])
    return ours, theirs


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", MHA_CASES)
def test_multihead_attention_matches_torch(case, dtype):
    kw, forward_kw, kinds, batched = MHA_CASES[case]
    ours, theirs = _mha_pair(dtype, **kw)
    rng = np.random.default_rng(0)
    sizes = ((L, E), (S, kw.get("kdim", E)), (S, kw.get("vdim", E)))
    shapes = [
        ((N, n, d) if kw.get("batch_first") else (n, N, d)) if batched else (n, d) for n, d in sizes
    ]
    inputs = [_both(rng.standard_normal(s).astype(dtype)) for s in shapes]
    our_masks, their_masks = _masks(kinds, batched, rng, dtype)
    got = ours(*(i[0] for i in inputs), **forward_kw, **our_masks)
    want = theirs(*(i[1] for i in inputs), **forward_kw, **their_masks)
    assert (got[1] is None) == (want[1] is None)
    _compare(got, want, [ours] + [i[0] for i in inputs], [theirs] + [i[1] for i in inputs], dtype)


def test_multihead_self_attention_state_dict_loads_from_torch_and_reprs_as_torch():
    ours, theirs = _mha_pair(np.float32, add_bias_kv=True)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(0).standard_normal((L, N, E)).astype(np.float32)
    with tnn.no_grad(), torch.no_grad():
        got = ours(*[tnn.tensor(x)] * 3)[0]
        want = theirs(*[torch.tensor(x)] * 3)[0]
    np.testing.assert_allclose(got.numpy(), want.numpy(), **TOL[np.float32])


BAD_MHA = {
    "four_dim_query": (((2, L, N, E), (S, N, E), (S, N, E)), {}),
    "unbatched_key_for_batched_query": (((L, N, E), (S, E), (S, E)), {}),
    "wrong_embedding": (((L, N, 4), (S, N, 4), (S, N, 4)), {}),
    "key_and_value_differ": (((L, N, E), (S, N, E), (S - 1, N, E)), {}),
    "attn_mask_of_wrong_shape": (((L, N, E), (S, N, E), (S, N, E)), dict(attn_mask=(L, L))),
    "3d_attn_mask_of_wrong_shape": (((L, N, E), (S, N, E), (S, N, E)), dict(attn_mask=(N, L, S))),
    "key_padding_of_wrong_shape": (
        ((L, N, E), (S, N, E), (S, N, E)),
        dict(key_padding_mask=(N, L)),
    ),
    "causal_hint_without_mask": (((L, N, E), (S, N, E), (S, N, E)), dict(is_causal=True)),
}


@pytest.mark.parametrize("case", BAD_MHA)
def test_multihead_attention_errors_are_torchs(case):
    shapes, kw = BAD_MHA[case]
    modules = {tnn: nn.MultiheadAttention(E, 3), torch: torch.nn.MultiheadAttention(E, 3)}

    def call(lib):
        tensors = [lib.zeros(*s) for s in shapes]
        masks = {k: lib.zeros(*v, dtype=lib.bool) for k, v in kw.items() if k != "is_causal"}
        modules[lib](*tensors, **masks, is_causal=kw.get("is_causal", False))

    tt.assert_same_error(call, tnn, torch)


# -- Transformer and its parts -------------------------------------------------------------

D, NHEAD, FF, SRC, TGT = 8, 2, 16, 5, 4


def _encoder_layer(lib, **kw):
    return lib.nn.TransformerEncoderLayer(D, NHEAD, FF, **kw)


def _decoder_layer(lib, **kw):
    return lib.nn.TransformerDecoderLayer(D, NHEAD, FF, **kw)


# name -> (module from a library, input lengths, batch_first, batched, masks: keyword -> kind)
LAYER_CASES = {
    "encoder_layer": (lambda lib: _encoder_layer(lib), (SRC,), False, True, {}),
    "encoder_layer_norm_first_gelu_masks": (
        lambda lib: _encoder_layer(lib, activation="gelu", norm_first=True, batch_first=True),
        (SRC,),
        True,
        True,
        dict(src_mask="causal_bool", src_key_padding_mask="padding"),
    ),
    "encoder_layer_callable_activation_no_bias": (
        lambda lib: _encoder_layer(lib, activation=lib.nn.functional.silu, bias=False),
        (SRC,),
        False,
        True,
        dict(src_mask="causal", is_causal=True),
    ),
    "encoder_layer_unbatched": (
        lambda lib: _encoder_layer(lib, batch_first=True),
        (SRC,),
        True,
        False,
        dict(src_key_padding_mask="padding"),
    ),
    "encoder_stack_with_norm": (
        lambda lib: lib.nn.TransformerEncoder(_encoder_layer(lib), 2, lib.nn.LayerNorm(D)),
        (SRC,),
        False,
        True,
        dict(mask="causal"),
    ),
    "encoder_stack_batch_first_padding": (
        lambda lib: lib.nn.TransformerEncoder(_encoder_layer(lib, batch_first=True), 2),
        (SRC,),
        True,
        True,
        dict(mask="causal_bool", src_key_padding_mask="padding"),
    ),
    "decoder_layer": (
        lambda lib: _decoder_layer(lib),
        (TGT, SRC),
        False,
        True,
        dict(tgt_mask="causal", tgt_is_causal=True),
    ),
    "decoder_layer_norm_first_masks": (
        lambda lib: _decoder_layer(lib, norm_first=True, batch_first=True, activation="gelu"),
        (TGT, SRC),
        True,
        True,
        dict(tgt_mask="causal_bool", memory_key_padding_mask="padding"),
    ),
    "decoder_stack_with_norm": (
        lambda lib: lib.nn.TransformerDecoder(_decoder_layer(lib), 2, lib.nn.LayerNorm(D)),
        (TGT, SRC),
        False,
        True,
        dict(tgt_mask="causal"),
    ),
    "transformer": (
        lambda lib: lib.nn.Transformer(D, NHEAD, 2, 1, FF),
        (SRC, TGT),
        False,
        True,
        dict(tgt_mask="causal", src_key_padding_mask="padding"),
    ),
    "transformer_batch_first_norm_first": (
        lambda lib: lib.nn.Transformer(D, NHEAD, 1, 2, FF, batch_first=True, norm_first=True),
        (SRC, TGT),
        True,
        True,
        dict(tgt_mask="causal", memory_key_padding_mask="padding"),
    ),
}


def _layer_masks(lib, masks, batched, dtype):
    """Forward keywords for ``lib``: square causal masks (``tgt_mask`` of the target's
    length, the others of the source's), float (``"causal"``, from
    ``generate_square_subsequent_mask``) or bool, and a key-padding mask of the source
    hiding its last two positions in the first sample; other values as they are."""
    out = {}
    for keyword, kind in masks.items():
        size = TGT if keyword == "tgt_mask" else SRC
        if kind == "causal":
            float_dtype = getattr(lib, TORCH_DTYPE[dtype])
            out[keyword] = lib.nn.Transformer.generate_square_subsequent_mask(
                size, dtype=float_dtype
            )
        elif kind == "causal_bool":
            out[keyword] = lib.tensor(np.triu(np.ones((size, size), bool), 1))
        elif kind == "padding":
            pad = np.zeros((N, SRC), bool)
            pad[0, -2:] = True
            out[keyword] = lib.tensor(pad if batched else pad[0])
        else:
            out[keyword] = kind
    return out


@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")  # torch's, about its fast path
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", LAYER_CASES)
def test_transformer_parts_match_torch(case, dtype):
    build, lengths, batch_first, batched, masks = LAYER_CASES[case]
    theirs = build(torch).to(getattr(torch, TORCH_DTYPE[dtype])).eval()
    ours = build(tnn).to(dtype).eval()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(0)
    shapes = [((N, n, D) if batch_first else (n, N, D)) if batched else (n, D) for n in lengths]
    inputs = [_both(rng.standard_normal(s).astype(dtype)) for s in shapes]
    got = ours(*(i[0] for i in inputs), **_layer_masks(tnn, masks, batched, dtype))
    want = theirs(*(i[1] for i in inputs), **_layer_masks(torch, masks, batched, dtype))
    _compare(
        [got], [want], [ours] + [i[0] for i in inputs], [theirs] + [i[1] for i in inputs], dtype
    )
