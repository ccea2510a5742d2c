using EdgeRuntime.Ir;

namespace EdgeRuntime.Import.Nam;

/// <summary>The flat weight list of a .nam model, consumed in order; a short or long list is an
/// error naming the layer that ran out (or the count left over).</summary>
internal sealed class NamWeights(float[] all, string where)
{
    private int _pos;

    public int Count => all.Length;

    public float[] Take(int n, string what)
    {
        if (n < 0 || _pos + (long)n > all.Length)
            throw new ModelException($"{where}: weight count mismatch: {what} needs {n} values at position {_pos}, but the model has only {all.Length} weights");
        var r = all.AsSpan(_pos, n).ToArray();
        _pos += n;
        return r;
    }

    public void EnsureDone()
    {
        if (_pos != all.Length)
            throw new ModelException($"{where}: weight count mismatch: the config uses {_pos} weights but the file has {all.Length}");
    }
}
