#!/usr/bin/python3
"""Writes the small ONNX models used for `edgert bench --vs onnxruntime` into bench/models/:
a dense net, a GRU net, a small CNN and a MobileNet-style block stack (strided and depthwise convs), with deterministic weights (numpy seed 0). Needs only
Debian's python3-onnx (and numpy). Re-run to regenerate; the outputs are committed."""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), "..", "bench", "models")
rng = np.random.default_rng(0)


def w(*shape, fan_in=None):
    fan_in = fan_in or shape[-1]
    return (rng.uniform(-1, 1, size=shape) / np.sqrt(fan_in)).astype(np.float32)


def save(graph, name, opset=13):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="edgeruntime-tools")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name))
    print("wrote", name)


def dense():
    # 64 -> 256 -> 256 -> 10, relu, batch 1
    inits, nodes = [], []
    dims = [64, 256, 256, 10]
    x = "x"
    for i in range(3):
        inits += [numpy_helper.from_array(w(dims[i], dims[i + 1], fan_in=dims[i]), f"W{i}"),
                  numpy_helper.from_array(w(dims[i + 1]), f"b{i}")]
        y = f"h{i}" if i < 2 else "y"
        nodes.append(helper.make_node("Gemm", [x, f"W{i}", f"b{i}"], [y + ("_pre" if i < 2 else "")]))
        if i < 2:
            nodes.append(helper.make_node("Relu", [y + "_pre"], [y]))
        x = y
    g = helper.make_graph(nodes, "dense", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    save(g, "dense_64_256_256_10.onnx")


def gru():
    # GRU(16 -> 64) over 64 steps, then Dense 64 -> 1 on every step
    T, I, H = 64, 16, 64
    inits = [numpy_helper.from_array(w(1, 3 * H, I), "W"), numpy_helper.from_array(w(1, 3 * H, H), "R"),
             numpy_helper.from_array(w(1, 6 * H), "B"), numpy_helper.from_array(w(H, 1, fan_in=H), "Wd"),
             numpy_helper.from_array(w(1), "bd"), numpy_helper.from_array(np.array([T, H], np.int64), "shape2d")]
    nodes = [helper.make_node("GRU", ["x", "W", "R", "B"], ["Y", ""], hidden_size=H, linear_before_reset=1),
             helper.make_node("Reshape", ["Y", "shape2d"], ["Y2"]),
             helper.make_node("Gemm", ["Y2", "Wd", "bd"], ["y"])]
    g = helper.make_graph(nodes, "gru", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [T, 1, I])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [T, 1])], inits)
    save(g, "gru_16_64_seq64.onnx")


def cnn():
    # 1x3x32x32 -> conv3x3(16)+relu -> maxpool -> conv3x3(32)+relu -> GAP -> gemm(10)
    inits = [numpy_helper.from_array(w(16, 3, 3, 3, fan_in=27), "C1"), numpy_helper.from_array(w(16), "c1"),
             numpy_helper.from_array(w(32, 16, 3, 3, fan_in=144), "C2"), numpy_helper.from_array(w(32), "c2"),
             numpy_helper.from_array(w(32, 10, fan_in=32), "F"), numpy_helper.from_array(w(10), "f")]
    nodes = [helper.make_node("Conv", ["x", "C1", "c1"], ["a1"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["a1"], ["r1"]),
             helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Conv", ["p1", "C2", "c2"], ["a2"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["a2"], ["r2"]),
             helper.make_node("GlobalAveragePool", ["r2"], ["g"]),
             helper.make_node("Flatten", ["g"], ["fl"]),
             helper.make_node("Gemm", ["fl", "F", "f"], ["y"])]
    g = helper.make_graph(nodes, "cnn", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    save(g, "cnn_small_32x32.onnx")


def mobilenet():
    # 1x3x64x64 -> conv3x3/2(16)+relu -> dw3x3(16)+relu -> pw(32)+relu -> dw3x3/2(32)+relu -> pw(64)+relu -> GAP -> gemm(10)
    inits = [numpy_helper.from_array(w(16, 3, 3, 3, fan_in=27), "C0"), numpy_helper.from_array(w(16), "c0"),
             numpy_helper.from_array(w(16, 1, 3, 3, fan_in=9), "D1"), numpy_helper.from_array(w(16), "d1"),
             numpy_helper.from_array(w(32, 16, 1, 1, fan_in=16), "P1"), numpy_helper.from_array(w(32), "p1"),
             numpy_helper.from_array(w(32, 1, 3, 3, fan_in=9), "D2"), numpy_helper.from_array(w(32), "d2"),
             numpy_helper.from_array(w(64, 32, 1, 1, fan_in=32), "P2"), numpy_helper.from_array(w(64), "p2"),
             numpy_helper.from_array(w(64, 10, fan_in=64), "F"), numpy_helper.from_array(w(10), "f")]
    nodes = [helper.make_node("Conv", ["x", "C0", "c0"], ["a0"], pads=[1, 1, 1, 1], strides=[2, 2]),
             helper.make_node("Relu", ["a0"], ["r0"]),
             helper.make_node("Conv", ["r0", "D1", "d1"], ["a1"], pads=[1, 1, 1, 1], group=16),
             helper.make_node("Relu", ["a1"], ["r1"]),
             helper.make_node("Conv", ["r1", "P1", "p1"], ["a2"]),
             helper.make_node("Relu", ["a2"], ["r2"]),
             helper.make_node("Conv", ["r2", "D2", "d2"], ["a3"], pads=[1, 1, 1, 1], strides=[2, 2], group=32),
             helper.make_node("Relu", ["a3"], ["r3"]),
             helper.make_node("Conv", ["r3", "P2", "p2"], ["a4"]),
             helper.make_node("Relu", ["a4"], ["r4"]),
             helper.make_node("GlobalAveragePool", ["r4"], ["g"]),
             helper.make_node("Flatten", ["g"], ["fl"]),
             helper.make_node("Gemm", ["fl", "F", "f"], ["y"])]
    g = helper.make_graph(nodes, "mobilenet_block", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 64, 64])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    save(g, "mobilenet_block_64x64.onnx")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    dense()
    gru()
    cnn()
    mobilenet()
