namespace EdgeRuntime.Planning;

/// <summary>One block of arena memory to place: live from <see cref="FirstUse"/> to
/// <see cref="LastUse"/> (node indices, inclusive).</summary>
public sealed record BufferRequest(string Name, long Bytes, int FirstUse, int LastUse)
{
    public bool Overlaps(BufferRequest o) => FirstUse <= o.LastUse && o.FirstUse <= LastUse;
}
