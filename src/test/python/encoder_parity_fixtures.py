"""Writes the encoder parity fixtures under src/test/resources/parity/ from the OFFICIAL model code.

The official code is not part of seqvision. Put its files in one folder (e.g. /tmp/official):
  convnext.py  <- facebookresearch/ConvNeXt models/convnext.py
  slak.py      <- VITA-Group/SLaK models/SLaK.py
  replknet.py  <- DingXiaoH/RepLKNet-pytorch replknet.py
  hornet.py    <- raoyongming/HorNet hornet.py (7x7 and global-filter families)
  intern_image.py <- OpenGVLab/InternImage classification/models/intern_image.py
  ops_dcnv3/   <- OpenGVLab/InternImage classification/ops_dcnv3 (functions/, modules/; the CUDA
                  op need not be built: the model is made with core_op='DCNv3_pytorch', whose
                  sampling is the pure-PyTorch dcnv3_core_pytorch)
and run:  python encoder_parity_fixtures.py /tmp/official src/test/resources/parity [family ...]
(PyTorch CPU; timm is not needed: the few timm helpers the files import are stood in for below,
as is SLaK's CUDA depthwise kernel, by a plain conv with its padding (kh//2, kw//2), and the
DCNv3 CUDA extension that dcnv3_func.py imports, by an empty module of version 1.1).

Per family: random weights in which every tensor matters (norm affines, BN running statistics,
layer scales of order 1), rounded so that the fp16/bf16 files hold them exactly; a state dict in
.pth (torch.save zip) and in safetensors, with the name variants users meet; the input and every
stage's output and the logits in float64 (<family>-expected.safetensors).
"""
import os
import sys
import types

import torch
import torch.nn as nn
from safetensors.torch import save_file


def install_stand_ins():
    timm = types.ModuleType("timm")
    models = types.ModuleType("timm.models")
    layers = types.ModuleType("timm.models.layers")
    registry = types.ModuleType("timm.models.registry")

    class DropPath(nn.Module):  # only rate 0 / eval is used here
        def __init__(self, p=0.0):
            super().__init__()

        def forward(self, x):
            return x

    layers.DropPath = DropPath
    layers.trunc_normal_ = nn.init.trunc_normal_
    layers.to_2tuple = lambda x: x if isinstance(x, tuple) else (x, x)
    registry.register_model = lambda f: f
    gemm = types.ModuleType("depthwise_conv2d_implicit_gemm")

    class DepthWiseConv2dImplicitGEMM(nn.Conv2d):
        def __init__(self, channels, kernel, bias=False):
            k = kernel if isinstance(kernel, tuple) else (kernel, kernel)
            super().__init__(channels, channels, k, padding=(k[0] // 2, k[1] // 2), groups=channels, bias=bias)

    gemm.DepthWiseConv2dImplicitGEMM = DepthWiseConv2dImplicitGEMM
    dcnv3_extension = types.ModuleType("DCNv3")  # InternImage's CUDA op, unused by DCNv3_pytorch
    pkg_resources = types.ModuleType("pkg_resources")
    pkg_resources.get_distribution = lambda name: types.SimpleNamespace(version="1.1")
    for name, module in {"timm": timm, "timm.models": models, "timm.models.layers": layers,
                         "timm.models.registry": registry, "depthwise_conv2d_implicit_gemm": gemm,
                         "DCNv3": dcnv3_extension, "pkg_resources": pkg_resources}.items():
        sys.modules[name] = module


def perturb(model, seed, dtype):
    """Every parameter and buffer random and of order 1 where it scales (norms, layer scales)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            if name.endswith("num_batches_tracked"):
                continue
            r = torch.randn(t.shape, generator=g, dtype=torch.float64)
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "running_var":
                v = 0.5 + torch.rand(t.shape, generator=g, dtype=torch.float64) * 1.5
            elif leaf == "complex_weight":
                v = r  # HorNet's spectral filter (real, imaginary): of order 1, as the spectrum it scales
            elif leaf.startswith("gamma") or t.dim() == 1 and leaf == "weight":
                v = 0.7 + 0.3 * r  # layer scales and norm/BN gains
            elif t.dim() == 1:
                v = 0.1 * r  # biases, running means
            else:
                fan_in = t[0].numel()
                v = r / fan_in ** 0.5
            t.copy_(v.to(dtype).to(t.dtype))


def stage_outputs(family, model, x):
    outs = []
    if family in ("convnext", "slak", "hornet", "hornet_gf"):
        for i in range(4):
            x = model.downsample_layers[i](x)
            x = model.stages[i](x)
            outs.append(x)
    elif family == "replknet":
        x = model.stem[0](x)
        for stem_layer in model.stem[1:]:
            x = stem_layer(x)
        for i, stage in enumerate(model.stages):
            x = stage(x)
            outs.append(x)
            if i < len(model.stages) - 1:
                x = model.transitions[i](x)
    elif family in ("internimage", "internimage_postnorm"):
        outs = model.forward_features_seq_out(x)  # each level after its LN, before downsampling; (N, H, W, C)
    return outs


def build(family, official):
    sys.path.insert(0, official)
    if family == "convnext":
        import convnext
        return convnext.ConvNeXt(depths=[1, 1, 1, 1], dims=[16, 32, 48, 64], num_classes=10)
    if family == "slak":
        import slak
        slak.use_sync_bn = False
        return slak.SLaK(depths=[1, 1, 1, 1], dims=[16, 32, 48, 64], width_factor=1.3,
                         kernel_size=[51, 49, 47, 13, 5], Decom=True, num_classes=10)
    if family == "replknet":
        import replknet
        return replknet.RepLKNet(large_kernel_sizes=[31, 29, 27, 13], layers=[1, 1, 1, 1],
                                 channels=[16, 32, 48, 64], drop_path_rate=0.0, small_kernel=5,
                                 dw_ratio=1.5, num_classes=10, use_sync_bn=False)
    if family == "hornet":
        import hornet
        from functools import partial
        s = 1.0 / 3.0
        return hornet.HorNet(depths=[1, 1, 1, 1], base_dim=16, block=hornet.Block, num_classes=10,
                             gnconv=[partial(hornet.gnconv, order=o, s=s) for o in (2, 3, 4, 5)])
    if family == "hornet_gf":
        import hornet
        from functools import partial
        s = 1.0 / 3.0
        # hornet_tiny_gf's mixers at test size: stage 3 stores the official 14x8 filter, which the
        # 4x4 map (spectrum 4x3) of a 64 px input interpolates; stage 4 stores 2x2, the spectrum
        # of its 2x2 map, so it is used as it is (as 14x8 and 7x4 are at 224 px)
        return hornet.HorNet(depths=[1, 1, 1, 1], base_dim=16, block=hornet.Block, num_classes=10,
                             gnconv=[partial(hornet.gnconv, order=2, s=s),
                                     partial(hornet.gnconv, order=3, s=s),
                                     partial(hornet.gnconv, order=4, s=s, h=14, w=8, gflayer=hornet.GlobalLocalFilter),
                                     partial(hornet.gnconv, order=5, s=s, h=2, w=2, gflayer=hornet.GlobalLocalFilter)])
    if family == "internimage":
        import intern_image
        # InternImage-T's structure (pre-norm, no layer scale, offset scale 1, GELU, LN, class
        # scale 1.5) at test size; DCNv3_pytorch has the CUDA DCNv3's parameters and names
        return intern_image.InternImage(core_op="DCNv3_pytorch", channels=16, depths=[1, 1, 1, 1],
                                        groups=[2, 4, 8, 16], num_classes=10, drop_path_rate=0.0)
    if family == "internimage_postnorm":
        import intern_image
        # InternImage-L/XL's structure (internimage_l_22kto1k_384.yaml: post-norm, so no LN ending
        # a level; layer scale; offset scale 2) at test size
        return intern_image.InternImage(core_op="DCNv3_pytorch", channels=16, depths=[1, 1, 1, 1],
                                        groups=[2, 4, 8, 16], num_classes=10, drop_path_rate=0.0,
                                        post_norm=True, layer_scale=1e-5, offset_scale=2.0)
    raise ValueError(family)


def timm_convnext_names(sd):
    out = {}
    for k, v in sd.items():
        n = k
        if n.startswith("downsample_layers.0."):
            n = "stem." + n[len("downsample_layers.0."):]
        elif n.startswith("downsample_layers."):
            _, i, j, rest = n.split(".", 3)
            n = f"stages.{i}.downsample.{j}.{rest}"
        elif n.startswith("stages."):
            _, i, j, rest = n.split(".", 3)
            rest = rest.replace("dwconv.", "conv_dw.").replace("pwconv1.", "mlp.fc1.").replace("pwconv2.", "mlp.fc2.")
            n = f"stages.{i}.blocks.{j}.{rest}"
        elif n.startswith("norm."):
            n = "head.norm." + n[5:]
        elif n.startswith("head."):
            n = "head.fc." + n[5:]
        out[n] = v
    return out


# family: (seed, weight precision, .pth dtype and wrapper, safetensors dtype, name variants)
PLAN = {
    "convnext": (1, torch.float16, torch.float32, "model", torch.float16),
    "slak": (2, torch.bfloat16, torch.bfloat16, "state_dict", torch.float32),
    "replknet": (3, torch.float16, torch.float16, None, torch.float32),
    "hornet": (4, torch.bfloat16, torch.float32, "model_ema", torch.bfloat16),
    "hornet_gf": (5, torch.float16, torch.float16, "model", torch.float32),
    "internimage": (6, torch.bfloat16, torch.float32, "model", torch.bfloat16),
    "internimage_postnorm": (7, torch.float16, torch.float16, "model_ema", torch.float32),
}


def main(official, out, families):
    install_stand_ins()
    os.makedirs(out, exist_ok=True)
    for family, (seed, precision, pth_dtype, wrapper, st_dtype) in PLAN.items():
        if families and family not in families:
            continue
        model = build(family, official)
        perturb(model, seed, precision)
        model.eval()
        sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
        for k, v in sd.items():
            if v.is_floating_point():
                assert torch.equal(v.to(pth_dtype).to(v.dtype), v) and torch.equal(v.to(st_dtype).to(v.dtype), v), k
        pth_sd = {k: v.to(pth_dtype) if v.is_floating_point() else v for k, v in sd.items()}
        st_sd = {k: v.to(st_dtype) if v.is_floating_point() else v for k, v in sd.items()}
        if family == "convnext":
            st_sd = timm_convnext_names(st_sd)  # timm's names, as convnext_tiny.fb_in1k has them
        if family == "slak":
            # .pth: today's names (LoRA1/LoRA2); safetensors: the first release's (Decom1/Decom2)
            st_sd = {k.replace(".LoRA1.", ".Decom1.").replace(".LoRA2.", ".Decom2."): v for k, v in st_sd.items()}
        torch.save(pth_sd if wrapper is None else {wrapper: pth_sd, "epoch": 3}, os.path.join(out, family + ".pth"))
        save_file({k: v.contiguous() for k, v in st_sd.items()}, os.path.join(out, family + ".safetensors"))
        model.double()
        g = torch.Generator().manual_seed(100 + seed)
        x = torch.randn(1, 3, 64, 64, generator=g, dtype=torch.float64)
        with torch.no_grad():
            outs = stage_outputs(family, model, x)
            logits = model(x)
        expected = {"input": x}
        for i, o in enumerate(outs):
            expected[f"stage{i}"] = o.contiguous()
        expected["logits"] = logits
        save_file(expected, os.path.join(out, family + "-expected.safetensors"))
        print(family, [tuple(o.shape) for o in outs], "params", sum(v.numel() for v in sd.values()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
