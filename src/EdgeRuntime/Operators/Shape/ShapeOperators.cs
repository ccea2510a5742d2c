using EdgeRuntime.Operators.Shape;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterShape(Action<IOperator> add)
    {
        add(new ReshapeOperator());
        add(new FlattenOperator());
        add(new SqueezeOperator());
        add(new UnsqueezeOperator());
        add(new ConcatOperator());
        add(new TransposeOperator());
        add(new PadOperator());
        add(new SliceOperator());
        add(new SplitOperator());
        add(new GatherOperator());
        add(new ConstantOperator());
        add(new ShapeOperator());
    }
}
