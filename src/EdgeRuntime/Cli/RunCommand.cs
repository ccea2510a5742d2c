namespace EdgeRuntime.Cli;

/// <summary><c>edgert run MODEL ...</c>: offline (file in, file out) or real time. Each mode lives in
/// its own partial file and claims the invocation by setting <c>rc</c>:
/// real time (<c>--realtime</c>), audio files (<c>--in x.wav --out y.wav</c>), tensor files
/// (<c>--input NAME=file.bin|.npy</c>, <c>--dump TENSOR</c>).</summary>
public sealed partial class RunCommand : ICommand
{
    public string Name => "run";
    public string Summary => "run a model on files (WAV, raw tensors) or in real time";
    public string Usage => """
        usage: edgert run MODEL --in in.wav --out out.wav [--block N] [--ignore-rate]
               edgert run MODEL --realtime [--source synth|wav:FILE|stdin|alsa:DEV] [--sink null|stdout|wav:FILE|alsa:DEV]
                                [--seconds N] [--report URI] [--gpio CHIP:LINE]
               edgert run MODEL --input NAME=FILE[.bin|.npy] [--output-dir DIR] [--dump TENSOR]
        """;

    public int Run(Args args)
    {
        int? rc = null;
        RunRealtime(args, ref rc);
        if (rc is int a) return a;
        RunAudioFiles(args, ref rc);
        if (rc is int b) return b;
        RunTensorFiles(args, ref rc);
        if (rc is int c) return c;
        throw new UsageException("say what to run: --in/--out audio files, --input tensors, or --realtime");
    }

    static partial void RunRealtime(Args args, ref int? rc);
    static partial void RunAudioFiles(Args args, ref int? rc);
    static partial void RunTensorFiles(Args args, ref int? rc);
}
