using System.Runtime.InteropServices;
using EdgeRuntime.Ir;
using EdgeRuntime.Operators.Elementwise;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Operators.Shape;

/// <summary>Constant: the output becomes a constant tensor at shape inference (from <c>value</c>,
/// <c>value_float(s)</c> or <c>value_int(s)</c>), so later operators see its data at compile time.</summary>
public sealed class ConstantOperator : IOperator
{
    public string OpType => "Constant";

    public void InferShapes(Node node, Graph graph)
    {
        DataType type;
        int[] shape;
        byte[] data;
        if (node.Attributes.TryGetValue("value", out var v) && v.T is { } t)
        {
            if (t.Constant is null) throw new ModelException($"{graph.Source}: {node.Describe()}: attribute 'value' has no data");
            type = t.Type;
            shape = (int[])t.Shape.Clone();
            data = t.Constant;
        }
        else if (node.Has("value_float")) { type = DataType.Float32; shape = []; data = BitConverter.GetBytes(node.GetFloat("value_float", 0)); }
        else if (node.Has("value_floats"))
        {
            var f = node.GetFloats("value_floats")!;
            type = DataType.Float32; shape = [f.Length]; data = MemoryMarshal.AsBytes(f.AsSpan()).ToArray();
        }
        else if (node.Has("value_int")) { type = DataType.Int64; shape = []; data = BitConverter.GetBytes(node.GetInt("value_int", 0)); }
        else if (node.Has("value_ints"))
        {
            var i = node.GetInts("value_ints")!;
            type = DataType.Int64; shape = [i.Length]; data = MemoryMarshal.AsBytes(i.AsSpan()).ToArray();
        }
        else
        {
            string which = string.Join(", ", node.Attributes.Keys);
            throw new ModelException($"{graph.Source}: {node.Describe()}: unsupported constant form ({(which.Length > 0 ? which : "no attributes")}); supported: value, value_float(s), value_int(s)");
        }
        if (type is DataType.String or DataType.Undefined)
            throw new ModelException($"{graph.Source}: {node.Describe()}: {type} constants are not supported");
        var output = ShapeInference.SetOutput(graph, node, 0, type, shape);
        if (data.Length != output.ByteSize)
            throw new ModelException($"{graph.Source}: {node.Describe()}: value has {data.Length} bytes, shape {ShapeArgs.Fmt(shape)} of {type.ShortName()} needs {output.ByteSize}");
        output.Constant = data;
    }

    public OpKernel CreateKernel(Node node, KernelContext ctx) => NoOpKernel.Instance;
}
