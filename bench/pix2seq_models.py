"""PyTorch reference of seqvision's bench models, for side-by-side speed runs (bench/pix2seq_bench.py).

The layers mirror the Java blocks (encoder/, decoder/) so that both sides do the same arithmetic:

* encoders: ConvNeXt (7x7 depthwise), RepLKNet (large + 5x5 depthwise, each with BatchNorm; the training
  form, not re-parameterised) and SLaK (M x 5 + 5 x M + 5 x 5 depthwise with BatchNorm, widths x1.3), the
  registry variants the presets name;
* the bridge: features (B, C, h, w) -> (B, h*w, C) -> Linear(C, D) -> LayerNorm -> + 2-D sine encoding;
* the decoder: learned position embedding, pre-LN layers (causal self-attention, cross-attention, GELU MLP),
  final LayerNorm, output tied to the token embedding plus a bias;
* greedy decoding with a key/value cache, argmax on the device.

Large depthwise kernels run either directly (cuDNN) or through FFTs, chosen like the Java DepthwiseConv
(auto: FFT when H*W*kh*kw >= 60 * transform area). The FFT path always runs in float32, as autocast would.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

AUTO_FFT_COST_RATIO = 60.0


# ---------------------------------------------------------------------------------------------------------
# Depthwise convolution, direct or through FFTs


def fast_length(minimum):
    """Smallest n >= minimum with no prime factor above 5."""
    n = max(minimum, 1)
    while True:
        rest = n
        for p in (2, 3, 5):
            while rest % p == 0:
                rest //= p
        if rest == 1:
            return n
        n += 1


def fft_length(size, kernel):
    return fast_length(max(size + kernel // 2, kernel))


def prefers_fft(kh, kw, h, w):
    return h * w * kh * kw >= AUTO_FFT_COST_RATIO * fft_length(h, kh) * fft_length(w, kw)


def depthwise_fft(x, weight):
    """Correlation of x (B, C, H, W) with weight (C, 1, kh, kw), padding (kh//2, kw//2), via FFTs in float32."""
    dtype = x.dtype
    x = x.float()
    weight = weight.float()
    _, c, h, w = x.shape
    kh, kw = weight.shape[2], weight.shape[3]
    lh, lw = fft_length(h, kh), fft_length(w, kw)
    with torch.autocast(device_type=x.device.type, enabled=False):
        image = torch.fft.fft(torch.fft.rfft(x, n=lw, dim=3), n=lh, dim=2)
        kernel = torch.fft.fft(torch.fft.rfft(weight.reshape(c, kh, kw).flip(1, 2), n=lw, dim=2), n=lh, dim=1)
        full = torch.fft.irfft(torch.fft.ifft(image * kernel, n=lh, dim=2), n=lw, dim=3)
    top, left = kh - 1 - kh // 2, kw - 1 - kw // 2
    out_h, out_w = h + 2 * (kh // 2) - kh + 1, w + 2 * (kw // 2) - kw + 1
    return full[:, :, top:top + out_h, left:left + out_w].to(dtype)


class DepthwiseConv(nn.Module):
    """Depthwise conv, stride 1, padding (kh//2, kw//2); path 'direct', 'fft' or 'auto'."""

    def __init__(self, channels, kh, kw, bias=False, path="auto"):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(channels, 1, kh, kw))
        self.bias = nn.Parameter(torch.zeros(channels)) if bias else None
        bound = 1 / math.sqrt(kh * kw)
        nn.init.uniform_(self.weight, -bound, bound)
        self.path = path
        self.padding = (kh // 2, kw // 2)

    def forward(self, x):
        kh, kw = self.weight.shape[2], self.weight.shape[3]
        fft = self.path == "fft" or (self.path == "auto" and prefers_fft(kh, kw, x.shape[2], x.shape[3]))
        if fft:
            out = depthwise_fft(x, self.weight)
            return out if self.bias is None else out + self.bias.to(out.dtype).view(1, -1, 1, 1)
        return F.conv2d(x, self.weight, self.bias, padding=self.padding, groups=x.shape[1])


class ChannelsFirstLayerNorm(nn.Module):
    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.norm = nn.LayerNorm(channels, eps=eps)

    def forward(self, x):
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


# ---------------------------------------------------------------------------------------------------------
# ConvNeXt and SLaK (ConvNeXt's macro design)


class DecomposedKernel(nn.Module):
    """SLaK: BN(M x N) + BN(N x M) (+ BN(N x N) when N < M), depthwise, no bias."""

    def __init__(self, channels, m, n, path):
        super().__init__()
        shapes = [(m, n), (n, m)] + ([(n, n)] if n < m else [])
        self.convs = nn.ModuleList(
            DepthwiseConv(channels, kh, kw, path=path if max(kh, kw) > n else "direct") for kh, kw in shapes)
        self.norms = nn.ModuleList(nn.BatchNorm2d(channels) for _ in shapes)

    def forward(self, x):
        return sum(norm(conv(x)) for conv, norm in zip(self.convs, self.norms))


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, mixer, layer_scale=1e-6):
        super().__init__()
        self.mixer = mixer
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(layer_scale * torch.ones(dim))

    def forward(self, x):
        y = self.mixer(x).permute(0, 2, 3, 1)
        y = self.gamma * self.pwconv2(F.gelu(self.pwconv1(self.norm(y))))
        return x + y.permute(0, 3, 1, 2)


class ConvNeXtLike(nn.Module):
    """Stem 4x4/4 + LN; per stage (LN + 2x2/2 conv for i > 0) then blocks; output LN. Stride 4 * 2^(stages-1)."""

    def __init__(self, depths, dims, mixer_factory):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dims[0], 4, 4), ChannelsFirstLayerNorm(dims[0]))
        self.downsample = nn.ModuleList(
            nn.Sequential(ChannelsFirstLayerNorm(dims[i - 1]), nn.Conv2d(dims[i - 1], dims[i], 2, 2))
            for i in range(1, len(dims)))
        self.stages = nn.ModuleList(
            nn.Sequential(*[ConvNeXtBlock(dims[i], mixer_factory(i, dims[i])) for _ in range(depths[i])])
            for i in range(len(dims)))
        self.output_norm = ChannelsFirstLayerNorm(dims[-1])
        self.channels = dims[-1]
        self.stride = 4 * 2 ** (len(dims) - 1)

    def forward(self, x):
        x = self.stem(x)
        for i, stage in enumerate(self.stages):
            if i > 0:
                x = self.downsample[i - 1](x)
            x = stage(x)
        return self.output_norm(x)


def convnext(depths, dims, kernel=7):
    return ConvNeXtLike(depths, dims, lambda i, d: nn.Conv2d(d, d, kernel, padding=kernel // 2, groups=d))


def slak(depths, dims, kernels, path, width_factor=1.3, small=5):
    widths = [int(d * width_factor) for d in dims]
    return ConvNeXtLike(depths, widths, lambda i, d: DecomposedKernel(d, kernels[i], small, path))


# ---------------------------------------------------------------------------------------------------------
# RepLKNet (training form)


def conv_bn(cin, cout, k, stride=1, groups=1, relu=False):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class LargeKernel(nn.Module):
    def __init__(self, channels, kernel, small, path):
        super().__init__()
        self.large = DepthwiseConv(channels, kernel, kernel, path=path)
        self.large_bn = nn.BatchNorm2d(channels)
        self.small = DepthwiseConv(channels, small, small, path="direct")
        self.small_bn = nn.BatchNorm2d(channels)

    def forward(self, x):
        return self.large_bn(self.large(x)) + self.small_bn(self.small(x))


class RepLKBlock(nn.Module):
    def __init__(self, channels, kernel, small, path):
        super().__init__()
        self.prelkb_bn = nn.BatchNorm2d(channels)
        self.pw1 = conv_bn(channels, channels, 1, relu=True)
        self.large_kernel = LargeKernel(channels, kernel, small, path)
        self.pw2 = conv_bn(channels, channels, 1)

    def forward(self, x):
        return x + self.pw2(F.relu(self.large_kernel(self.pw1(self.prelkb_bn(x)))))


class ConvFFN(nn.Module):
    def __init__(self, channels, ratio=4):
        super().__init__()
        self.preffn_bn = nn.BatchNorm2d(channels)
        self.pw1 = conv_bn(channels, ratio * channels, 1)
        self.pw2 = conv_bn(ratio * channels, channels, 1)

    def forward(self, x):
        return x + self.pw2(F.gelu(self.pw1(self.preffn_bn(x))))


class RepLKNet(nn.Module):
    def __init__(self, kernels, layers, channels, path, small=5):
        super().__init__()
        c0 = channels[0]
        self.stem = nn.Sequential(conv_bn(3, c0, 3, 2, relu=True), conv_bn(c0, c0, 3, 1, c0, relu=True),
                                  conv_bn(c0, c0, 1, relu=True), conv_bn(c0, c0, 3, 2, c0, relu=True))
        self.stages = nn.ModuleList()
        self.transitions = nn.ModuleList()
        for i, c in enumerate(channels):
            blocks = []
            for _ in range(layers[i]):
                blocks += [RepLKBlock(c, kernels[i], small, path), ConvFFN(c)]
            self.stages.append(nn.Sequential(*blocks))
            if i + 1 < len(channels):
                n = channels[i + 1]
                self.transitions.append(nn.Sequential(conv_bn(c, n, 1, relu=True), conv_bn(n, n, 3, 2, n, relu=True)))
        self.channels = channels[-1]
        self.stride = 4 * 2 ** (len(channels) - 1)

    def forward(self, x):
        x = self.stem(x)
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i < len(self.transitions):
                x = self.transitions[i](x)
        return x


def make_encoder(name, path="auto"):
    """The registry variants the bench presets name."""
    if name == "convnext-t":
        return convnext([3, 3, 9, 3], [96, 192, 384, 768])
    if name == "convnext-tiny":
        return convnext([1, 1, 1, 1], [16, 32, 48, 64])
    if name == "convnext-s16-nano":
        return convnext([1, 1, 3], [32, 64, 128])
    if name == "convnext-s16-small":
        return convnext([2, 2, 4], [48, 96, 192])
    if name == "replknet-31b":
        return RepLKNet([31, 29, 27, 13], [2, 2, 18, 2], [128, 256, 512, 1024], path)
    if name == "replknet-tiny":
        return RepLKNet([31, 29, 27, 13], [1, 1, 1, 1], [16, 32, 48, 64], path)
    if name == "slak-t":
        return slak([3, 3, 9, 3], [96, 192, 384, 768], [51, 49, 47, 13], path)
    if name == "slak-tiny":
        return slak([1, 1, 1, 1], [16, 32, 48, 64], [51, 49, 47, 13], path)
    raise ValueError(f"unknown encoder '{name}'")


# ---------------------------------------------------------------------------------------------------------
# Bridge and decoder


def sine_encoding_2d(h, w, channels, device):
    """seqvision's PositionalEncoding2D: rows in the first D/2 channels, columns in the last, coordinates in (0, 2 pi]."""
    half = channels // 2
    k = torch.arange(half, device=device, dtype=torch.float64)
    freq = 10000.0 ** (-2 * torch.div(k, 2, rounding_mode="floor") / half)
    y = (torch.arange(h, device=device, dtype=torch.float64) + 1) / h * 2 * math.pi
    x = (torch.arange(w, device=device, dtype=torch.float64) + 1) / w * 2 * math.pi
    ya, xa = y[:, None] * freq, x[:, None] * freq
    even = (k % 2 == 0)
    ye = torch.where(even, torch.sin(ya), torch.cos(ya))
    xe = torch.where(even, torch.sin(xa), torch.cos(xa))
    grid = torch.cat([ye[:, None, :].expand(h, w, half), xe[None, :, :].expand(h, w, half)], dim=-1)
    return grid.reshape(h * w, channels).float()


class Attention(nn.Module):
    def __init__(self, width, heads, dropout, causal, impl):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.heads, self.dropout, self.causal, self.impl = heads, dropout, causal, impl

    def split(self, x):
        b, n, d = x.shape
        return x.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def attend(self, q, k, v, causal):
        drop = self.dropout if self.training else 0.0
        if self.impl == "sdpa":
            out = F.scaled_dot_product_attention(q, k, v, dropout_p=drop, is_causal=causal)
        else:
            scores = (q * (q.shape[-1] ** -0.5)) @ k.transpose(-1, -2)
            if causal:
                lq, lk = q.shape[2], k.shape[2]
                mask = torch.ones(lq, lk, dtype=torch.bool, device=q.device).tril(lk - lq)
                scores = scores.masked_fill(~mask, float("-inf"))
            out = F.dropout(scores.softmax(-1), drop, self.training) @ v
        b, h, n, dh = out.shape
        return self.o(out.transpose(1, 2).reshape(b, n, h * dh))

    def forward(self, x, memory=None):
        source = x if memory is None else memory
        return self.attend(self.split(self.q(x)), self.split(self.k(source)), self.split(self.v(source)),
                           self.causal and x.shape[1] > 1)


class DecoderLayer(nn.Module):
    def __init__(self, width, heads, mlp, dropout, impl):
        super().__init__()
        self.self_norm, self.cross_norm, self.mlp_norm = (nn.LayerNorm(width) for _ in range(3))
        self.self_attention = Attention(width, heads, dropout, True, impl)
        self.cross_attention = Attention(width, heads, dropout, False, impl)
        self.expand, self.contract = nn.Linear(width, mlp), nn.Linear(mlp, width)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, memory):
        h = self.self_norm(x)
        x = x + self.dropout(self.self_attention(h))
        x = x + self.dropout(self.cross_attention(self.cross_norm(x), memory))
        return x + self.dropout(self.contract(F.gelu(self.expand(self.mlp_norm(x)))))

    def step(self, x, cache, layer):
        """One new position: appends its keys/values to the layer's cache buffers."""
        sa = self.self_attention
        h = self.self_norm(x)
        position = cache["length"]
        cache["self_k"][layer][:, :, position:position + 1] = sa.split(sa.k(h))
        cache["self_v"][layer][:, :, position:position + 1] = sa.split(sa.v(h))
        k = cache["self_k"][layer][:, :, :position + 1]
        v = cache["self_v"][layer][:, :, :position + 1]
        x = x + sa.attend(sa.split(sa.q(h)), k, v, False)
        ca = self.cross_attention
        x = x + ca.attend(ca.split(ca.q(self.cross_norm(x))), cache["cross_k"][layer], cache["cross_v"][layer], False)
        return x + self.contract(F.gelu(self.expand(self.mlp_norm(x))))


class Pix2SeqModel(nn.Module):
    def __init__(self, encoder, vocab, max_length, width, layers, heads, mlp, dropout, attention="sdpa"):
        super().__init__()
        self.encoder = encoder
        self.memory_projection = nn.Linear(encoder.channels, width)
        self.memory_norm = nn.LayerNorm(width)
        self.token_embedding = nn.Parameter(torch.randn(vocab, width) * 0.02)
        self.position_embedding = nn.Parameter(torch.randn(max_length, width) * 0.02)
        self.output_bias = nn.Parameter(torch.zeros(vocab))
        self.layers = nn.ModuleList(DecoderLayer(width, heads, mlp, dropout, attention) for _ in range(layers))
        self.final_norm = nn.LayerNorm(width)
        self.heads = heads
        self.width = width
        self._encodings = {}

    def encode(self, images):
        f = self.encoder(images)
        b, c, h, w = f.shape
        memory = self.memory_norm(self.memory_projection(f.flatten(2).transpose(1, 2)))
        key = (h, w, memory.device)
        if key not in self._encodings:  # the Java side rebuilds it per call; it is a constant either way
            self._encodings[key] = sine_encoding_2d(h, w, self.width, memory.device)
        return memory + self._encodings[key].to(memory.dtype)

    def logits(self, hidden):
        return F.linear(self.final_norm(hidden), self.token_embedding, self.output_bias)

    def decode(self, tokens, memory):
        x = F.embedding(tokens, self.token_embedding) + self.position_embedding[:tokens.shape[1]]
        for layer in self.layers:
            x = layer(x, memory)
        return self.logits(x)

    def forward(self, images, tokens):
        return self.decode(tokens, self.encode(images))

    @torch.no_grad()
    def greedy(self, memory, prompt_token, length):
        """Greedy decoding of exactly `length` tokens per row with a key/value cache; tokens stay on the device."""
        b = memory.shape[0]
        dh = self.width // self.heads
        cache = {"length": 0, "self_k": [], "self_v": [], "cross_k": [], "cross_v": []}
        for layer in self.layers:
            ca = layer.cross_attention
            cache["cross_k"].append(ca.split(ca.k(memory)))
            cache["cross_v"].append(ca.split(ca.v(memory)))
            cache["self_k"].append(memory.new_zeros(b, self.heads, length + 1, dh))
            cache["self_v"].append(memory.new_zeros(b, self.heads, length + 1, dh))
        tokens = torch.full((b, 1), prompt_token, dtype=torch.long, device=memory.device)
        out = []
        for t in range(length):
            x = F.embedding(tokens, self.token_embedding) + self.position_embedding[t:t + 1]
            for i, layer in enumerate(self.layers):
                x = layer.step(x, cache, i)
            cache["length"] += 1
            tokens = self.logits(x).argmax(-1)
            out.append(tokens)
        return torch.cat(out, dim=1)
