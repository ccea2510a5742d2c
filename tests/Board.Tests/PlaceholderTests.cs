namespace EdgeRuntime.Board.Tests;

public class AssemblyLoadsTests
{
    [Fact]
    public void BoardAssemblyLoads() => Assert.Equal("EdgeRuntime.Board", typeof(EdgeRuntime.Board.BoardInfo).Assembly.GetName().Name);
}
