namespace EdgeRuntime.Board;

/// <summary>Facts about the board-support library build.</summary>
public static class BoardInfo
{
    public const string Name = "EdgeRuntime.Board";
}
