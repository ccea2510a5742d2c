using EdgeRuntime.Operators.Recurrent;

namespace EdgeRuntime.Operators;

public static partial class OperatorRegistry
{
    static partial void RegisterRecurrent(Action<IOperator> add)
    {
        foreach (var cell in new[] { RecurrentCell.Gru, RecurrentCell.Lstm, RecurrentCell.Rnn })
        {
            add(new RecurrentOperator(cell, flat: false));
            add(new RecurrentOperator(cell, flat: true));
        }
    }
}
