using System.Globalization;
using System.Text.Json;
using EdgeRuntime.Bench;

namespace EdgeRuntime.Cli;

/// <summary><c>edgert calibrate</c>: time a grid of generated networks and fit per-operation costs.</summary>
public sealed class CalibrateCommand : ICommand
{
    public string Name => "calibrate";
    public string Summary => "measure generated networks and fit this machine's per-operation costs (for predict)";
    public string Usage => "usage: edgert calibrate [--json machine.json] [--blocks 1,16,64] [--quick]";

    public int Run(Args args)
    {
        string path = args.Get("json", "machine.json");
        var blocks = (args.Get("blocks") ?? string.Join(",", Calibrator.DefaultBlocks)).Split(',')
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int b) && b > 0 ? b
                : throw new UsageException($"--blocks: '{s}' is not a block size")).ToArray();
        bool quick = args.Flag("quick");
        args.EnsureAllUsed();
        var grid = Calibrator.DefaultGrid();
        if (quick) grid = grid.Where((_, i) => i % 3 == 0).ToList();
        Console.WriteLine($"calibrating on {grid.Count} networks x {blocks.Length} block sizes (single thread)...");
        var profile = Calibrator.Calibrate(grid, blocks, Console.Out);
        Console.WriteLine("fitted cost per operation (ns):");
        for (int i = 0; i < profile.Features.Count; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {profile.Features[i],-16} {profile.CostsNs[i],12:G4}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fit: R² (log time) {profile.Fit.R2:F3}, median |error| {profile.Fit.MedianAbsRelError * 100:F1}%, max {profile.Fit.MaxAbsRelError * 100:F1}% over {profile.Fit.Networks} measurements"));
        File.WriteAllText(path, JsonSerializer.Serialize(profile, BenchJsonContext.Default.MachineProfile));
        Console.WriteLine($"wrote {path}");
        return 0;
    }
}
