namespace EdgeRuntime.Operators;

/// <summary>Run-time side of an operator, bound to fixed buffer addresses in the session arena.
/// <see cref="Execute"/> must not allocate, lock or throw for valid data.</summary>
public abstract class OpKernel
{
    /// <summary>Run the op. <paramref name="frames"/> is the number of valid frames along axis 0 for
    /// streaming graphs (≤ the planned maximum); non-streaming graphs always pass the planned count.</summary>
    public abstract void Execute(int frames);

    /// <summary>Clear streaming state (hidden state, convolution history). Default: stateless.</summary>
    public virtual void Reset() { }

    /// <summary>Short name of the kernel path chosen (e.g. "gemm.avx2"), shown by <c>info</c>.</summary>
    public virtual string KernelName => GetType().Name;
}
