using System.Runtime.InteropServices;
using EdgeRuntime.Ir;

namespace EdgeRuntime.Bench;

/// <summary>ONNX Runtime as a peer in the same process, through its C API (<c>OrtGetApiBase</c>),
/// loaded at run time from a path (no NuGet package). Single model, float inputs and outputs.
/// Every call's status is checked; errors become <see cref="ModelException"/> with ORT's message.</summary>
public sealed unsafe class OnnxRuntimePeer : IDisposable
{
    // Indices into the OrtApi function table (the C API's append-only order).
    private const int GetErrorMessageIdx = 2, CreateEnvIdx = 3, CreateSessionIdx = 7, RunIdx = 9,
        CreateSessionOptionsIdx = 10, SetGraphOptLevelIdx = 23, SetIntraOpIdx = 24, SetInterOpIdx = 25,
        GetInputCountIdx = 30, GetOutputCountIdx = 31, GetInputNameIdx = 36, GetOutputNameIdx = 37,
        CreateTensorWithDataIdx = 49, GetTensorMutableDataIdx = 51, CreateCpuMemoryInfoIdx = 69,
        AllocatorFreeIdx = 76, GetDefaultAllocatorIdx = 78, ReleaseEnvIdx = 92, ReleaseStatusIdx = 93,
        ReleaseMemoryInfoIdx = 94, ReleaseSessionIdx = 95, ReleaseValueIdx = 96, ReleaseSessionOptionsIdx = 100;
    private const uint ApiVersion = 14;

    private readonly nint _lib;
    private readonly nint* _api;
    private nint _env, _session, _memInfo;
    private readonly nint[] _inputValues;
    private readonly nint[] _outputValues;
    private readonly nint[] _inputNames;
    private readonly nint[] _outputNames;
    private readonly GCHandle[] _pins;

    public string Version { get; }
    public string LibraryPath { get; }
    public int Threads { get; }

    /// <summary>Default place the fetch script puts the library (tools/fetch-onnxruntime.sh).</summary>
    public static string DefaultLibraryPath()
    {
        string arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                string p = Path.Combine(d.FullName, "artifacts", "onnxruntime", $"linux-{arch}", "libonnxruntime.so.1");
                if (File.Exists(p)) return p;
            }
        return Path.Combine("artifacts", "onnxruntime", $"linux-{arch}", "libonnxruntime.so.1");
    }

    /// <param name="inputs">Input buffers (float32, exact shapes) kept pinned for the peer's lifetime.</param>
    /// <param name="outputShapes">Output shapes, used to size the peer's output buffers.</param>
    public OnnxRuntimePeer(string libraryPath, string modelPath, IReadOnlyList<(string Name, int[] Shape, float[] Data)> inputs,
        IReadOnlyList<(string Name, int[] Shape, float[] Data)> outputs, int threads = 1)
    {
        LibraryPath = libraryPath;
        Threads = threads;
        if (!File.Exists(libraryPath))
            throw new ModelException($"ONNX Runtime library not found at '{libraryPath}'. Fetch it with tools/fetch-onnxruntime.sh (npm package onnxruntime-node@1.30.0) or pass --vs onnxruntime=PATH");
        if (!NativeLibrary.TryLoad(libraryPath, out _lib))
            throw new ModelException($"cannot load ONNX Runtime from '{libraryPath}' (wrong architecture or missing dependencies?)");
        if (!NativeLibrary.TryGetExport(_lib, "OrtGetApiBase", out nint getApiBase))
            throw new ModelException($"'{libraryPath}' does not export OrtGetApiBase: not an ONNX Runtime library");
        nint* apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
        Version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)apiBase[1])()) ?? "?";
        _api = ((delegate* unmanaged<uint, nint*>)apiBase[0])(ApiVersion);
        if (_api == null) throw new ModelException($"ONNX Runtime {Version} does not offer C API version {ApiVersion}");

        _pins = new GCHandle[inputs.Count + outputs.Count];
        nint env, opts, session, mem;
        using (var logid = new Utf8("edgert"))
            Check(((delegate* unmanaged<int, byte*, nint*, nint>)_api[CreateEnvIdx])(3 /*warning*/, logid.Ptr, &env));
        _env = env;
        Check(((delegate* unmanaged<nint*, nint>)_api[CreateSessionOptionsIdx])(&opts));
        try
        {
            Check(((delegate* unmanaged<nint, int, nint>)_api[SetIntraOpIdx])(opts, threads));
            Check(((delegate* unmanaged<nint, int, nint>)_api[SetInterOpIdx])(opts, 1));
            Check(((delegate* unmanaged<nint, int, nint>)_api[SetGraphOptLevelIdx])(opts, 99));
            using var path = new Utf8(modelPath);
            Check(((delegate* unmanaged<nint, byte*, nint, nint*, nint>)_api[CreateSessionIdx])(_env, path.Ptr, opts, &session));
            _session = session;
        }
        finally
        {
            ((delegate* unmanaged<nint, void>)_api[ReleaseSessionOptionsIdx])(opts);
        }
        Check(((delegate* unmanaged<int, int, nint*, nint>)_api[CreateCpuMemoryInfoIdx])(0 /*device allocator*/, 0 /*default*/, &mem));
        _memInfo = mem;

        nuint nIn, nOut;
        Check(((delegate* unmanaged<nint, nuint*, nint>)_api[GetInputCountIdx])(_session, &nIn));
        Check(((delegate* unmanaged<nint, nuint*, nint>)_api[GetOutputCountIdx])(_session, &nOut));
        if ((int)nIn != inputs.Count)
            throw new ModelException($"ONNX Runtime sees {nIn} inputs in '{modelPath}', we feed {inputs.Count}");
        _inputNames = new nint[inputs.Count];
        _outputNames = new nint[outputs.Count];
        for (int i = 0; i < inputs.Count; i++) _inputNames[i] = Marshal.StringToCoTaskMemUTF8(inputs[i].Name);
        for (int i = 0; i < outputs.Count; i++) _outputNames[i] = Marshal.StringToCoTaskMemUTF8(outputs[i].Name);
        _inputValues = new nint[inputs.Count];
        _outputValues = new nint[outputs.Count];
        for (int i = 0; i < inputs.Count; i++) _inputValues[i] = CreateTensor(inputs[i].Shape, inputs[i].Data, i);
        for (int i = 0; i < outputs.Count; i++) _outputValues[i] = CreateTensor(outputs[i].Shape, outputs[i].Data, inputs.Count + i);
    }

    private nint CreateTensor(int[] shape, float[] data, int pinSlot)
    {
        _pins[pinSlot] = GCHandle.Alloc(data, GCHandleType.Pinned);
        long* dims = stackalloc long[Math.Max(shape.Length, 1)];
        for (int d = 0; d < shape.Length; d++) dims[d] = shape[d];
        nint value;
        Check(((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)_api[CreateTensorWithDataIdx])(
            _memInfo, (void*)_pins[pinSlot].AddrOfPinnedObject(), (nuint)(data.Length * sizeof(float)), dims, (nuint)shape.Length,
            1 /*float*/, &value));
        return value;
    }

    /// <summary>One inference; outputs land in the arrays given to the constructor. No allocation.</summary>
    public void Run()
    {
        fixed (nint* inNames = _inputNames, outNames = _outputNames, inVals = _inputValues, outVals = _outputValues)
            Check(((delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)_api[RunIdx])(
                _session, 0, inNames, inVals, (nuint)_inputValues.Length, outNames, (nuint)_outputValues.Length, outVals));
    }

    private void Check(nint status)
    {
        if (status == 0) return;
        string msg = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)_api[GetErrorMessageIdx])(status)) ?? "unknown error";
        ((delegate* unmanaged<nint, void>)_api[ReleaseStatusIdx])(status);
        throw new ModelException($"ONNX Runtime: {msg}");
    }

    public void Dispose()
    {
        if (_api == null) return;
        foreach (var v in _inputValues ?? []) if (v != 0) ((delegate* unmanaged<nint, void>)_api[ReleaseValueIdx])(v);
        foreach (var v in _outputValues ?? []) if (v != 0) ((delegate* unmanaged<nint, void>)_api[ReleaseValueIdx])(v);
        if (_memInfo != 0) ((delegate* unmanaged<nint, void>)_api[ReleaseMemoryInfoIdx])(_memInfo);
        if (_session != 0) ((delegate* unmanaged<nint, void>)_api[ReleaseSessionIdx])(_session);
        if (_env != 0) ((delegate* unmanaged<nint, void>)_api[ReleaseEnvIdx])(_env);
        _memInfo = _session = _env = 0;
        foreach (var h in _pins ?? []) if (h.IsAllocated) h.Free();
        foreach (var p in _inputNames ?? []) Marshal.FreeCoTaskMem(p);
        foreach (var p in _outputNames ?? []) Marshal.FreeCoTaskMem(p);
    }

    private readonly struct Utf8 : IDisposable
    {
        private readonly nint _p;
        public Utf8(string s) => _p = Marshal.StringToCoTaskMemUTF8(s);
        public byte* Ptr => (byte*)_p;
        public void Dispose() => Marshal.FreeCoTaskMem(_p);
    }
}
