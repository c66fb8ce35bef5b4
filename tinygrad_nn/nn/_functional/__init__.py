"""The functional forms of the convolution, pooling, normalisation, sampling and embedding
layers, one module per family; ``nn.functional`` re-exports them."""
