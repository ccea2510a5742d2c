using EdgeRuntime.Execution;
using EdgeRuntime.Import;
using EdgeRuntime.Passes;
using EdgeRuntime.Tests.Import.Tflite;
using Xunit.Abstractions;

namespace EdgeRuntime.Tests.Operators.Tflite;

public class TfliteArenaTests(ITestOutputHelper output)
{
    [MlperfTinyTheory]
    [InlineData("kws_ref_model.tflite", 16_000)]
    [InlineData("vww_96_int8.tflite", 55_296)]
    [InlineData("pretrainedResnet_quant.tflite", 49_152)]
    [InlineData("ad01_int8.tflite", 768)]
    public void Int8ArenaIsWithinTenPercentOfTheLowerBound(string model, long issueLowerBound)
    {
        var plan = Compiler.Compile(ModelLoader.Load(MlperfTinyData.Model(model)));
        output.WriteLine($"{model}: arena {plan.ArenaBytes} B, planner lower bound {plan.ArenaLowerBoundBytes} B, issue lower bound {issueLowerBound} B, " +
            $"scratch max {plan.MaxScratchBytes} B, persistent {plan.PersistentTotalBytes} B, weights {plan.WeightsBytes} B");
        Assert.True(plan.ArenaBytes <= issueLowerBound * 1.1, $"{model}: arena {plan.ArenaBytes} B exceeds 110% of {issueLowerBound} B");
        Assert.True(plan.ArenaBytes <= plan.ArenaLowerBoundBytes * 1.1, $"{model}: arena {plan.ArenaBytes} B exceeds 110% of the planner's bound {plan.ArenaLowerBoundBytes} B");
        Assert.Equal(0, plan.PersistentTotalBytes);
    }

    [MlperfTinyTheory]
    [InlineData("kws_ref_model.tflite")]
    [InlineData("kws_ref_model_float32.tflite")]
    [InlineData("pretrainedResnet_quant.tflite")]
    public void RunAllocatesNothing(string model)
    {
        using var s = new Session(Compiler.Compile(ModelLoader.Load(MlperfTinyData.Model(model))));
        AllocationAssert.NoAllocations(() => s.Run(), warmup: 2, repeats: 5);
    }
}
