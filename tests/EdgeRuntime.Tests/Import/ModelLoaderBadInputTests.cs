using EdgeRuntime.Import;
using EdgeRuntime.Ir;
using EdgeRuntime.Passes;

namespace EdgeRuntime.Tests.Import;

/// <summary>Every registered model format, fed missing, empty, garbage and truncated files: each
/// ends in a <see cref="ModelException"/> naming the file, within seconds (no crash, no hang).</summary>
public class ModelLoaderBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgebad").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = Path.Combine(_dir, "absent.onnx");
        var e = Assert.Throws<ModelException>(() => ModelLoader.Load(path));
        Assert.Equal($"{path}: file not found", e.Message);
    }

    [Fact]
    public void UnknownExtensionListsTheKnownFormats()
    {
        string path = Path.Combine(_dir, "model.pb");
        File.WriteAllText(path, "x");
        var e = Assert.Throws<ModelException>(() => ModelLoader.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains("unknown model format '.pb'", e.Message);
        foreach (var ext in ModelLoader.Extensions) Assert.Contains(ext, e.Message);
    }

    /// <summary>Contents no model file should be accepted as.</summary>
    private static IEnumerable<(string Label, byte[] Bytes)> Hostile()
    {
        var rnd = new Random(1234);
        var garbage = new byte[4096];
        rnd.NextBytes(garbage);
        yield return ("empty", []);
        yield return ("garbage", garbage);
        yield return ("one zero byte", [0]);
        yield return ("truncated JSON", "{\"layers\": [{\"type\": \"dense\", \"shape\": [1, 8], \"weights\": [[0.1, "u8.ToArray());
        yield return ("JSON of the wrong shape", "[1, 2, 3]"u8.ToArray());
        yield return ("protobuf-looking prefix", [0x08, 0x07, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        yield return ("huge varint length", [0x3a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    }

    public static TheoryData<string> Extensions()
    {
        var d = new TheoryData<string>();
        foreach (var e in ModelLoader.Extensions.Order()) d.Add(e);
        return d;
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public async Task HostileFilesFailWithTheFileNamed(string ext)
    {
        foreach (var (label, bytes) in Hostile())
        {
            string path = Path.Combine(_dir, $"hostile-{label.Replace(' ', '-')}{ext}");
            File.WriteAllBytes(path, bytes);
            var work = Task.Run(() =>
            {
                var g = ModelLoader.Load(path);
                // An importer may accept a degenerate file; then compiling it must refuse it.
                Compiler.Compile(g);
            });
            bool answered = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(30))) == work;
            Assert.True(answered, $"{ext} {label}: no answer in 30 s");
            var e = Assert.IsAssignableFrom<ModelException>(Assert.IsType<AggregateException>(work.Exception).InnerException);
            Assert.Contains(Path.GetFileName(path), e.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Extensions))]
    public void DirectoryInsteadOfFileIsRefused(string ext)
    {
        string path = Path.Combine(_dir, "adir" + ext);
        Directory.CreateDirectory(path);
        var e = Assert.ThrowsAny<ModelException>(() => ModelLoader.Load(path));
        Assert.Contains(path, e.Message);
    }
}
