using EdgeRuntime.Ir;
using static EdgeRuntime.Tests.Operators.OpGraph;

namespace EdgeRuntime.Tests.Operators;

public class AllocationFreeOperatorTests
{
    [Fact]
    public void GraphOfElementwiseAndShapeOpsRunsWithoutAllocating()
    {
        var g = new OpGraph(opset: 13).Input("x", [2, 3, 8], Random(48, 1)).Const("b", [8], Random(8, 2))
            .Input("lo", [], [-0.5f])
            .Node("Add", ["x", "b"], ["a"]).Node("Tanh", ["a"], ["t"]).Node("Sigmoid", ["t"], ["s"])
            .Node("Mul", ["s", "x"], ["m"]).Node("Clip", ["m", "lo"], ["c"])
            .Node("Transpose", ["c"], ["tr"], ("perm", A(0L, 2L, 1L)))
            .ConstInts("pads", 0, 1, 0, 0, 1, 0).Node("Pad", ["tr", "pads"], ["p"], ("mode", A("reflect")))
            .ConstInts("st", 1).ConstInts("en", -1).ConstInts("ax", 1).Node("Slice", ["p", "st", "en", "ax"], ["sl"])
            .ConstInts("sp", 4, 4).Node("Split", ["sl", "sp"], ["s0", "s1"], ("axis", A(1L)))
            .Node("Concat", ["s1", "s0"], ["cc"], ("axis", A(1L)))
            .Node("Softmax", ["cc"], ["sm"])
            .Input("idx", DataType.Int64, [2], Bytes(0L, -1L)).Node("Gather", ["sm", "idx"], ["ga"], ("axis", A(1L)))
            .ConstInts("shape", 0, -1).Node("Reshape", ["ga", "shape"], ["r"])
            .Node("ReduceMean", ["r"], ["rm"], ("axes", A([1L])))
            .Node("Where", ["cond", "rm", "rm"], ["w"])
            .Node("Pow", ["w", "two"], ["pw"])
            .Node("Cast", ["pw"], ["ci"], ("to", A((long)DataType.Int32)))
            .Output("pw", "ci");
        g.Graph.Add(new Tensor("cond", DataType.Bool, [1], [1]));
        g.Graph.Add(Tensor.FromFloats("two", [], [2f]));
        using var s = g.Compile();
        AllocationAssert.NoAllocations(() => s.Run());
    }
}
