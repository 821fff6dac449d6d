namespace EksOperator.Sandbox;

/// <summary>
/// Where the sandbox writes its kubeconfig: the file <c>--kubeconfig</c> named, which stays after exit, or else a file
/// in a directory of its own under the temporary directory, unique to this run and removed on exit, so that two
/// sandboxes never overwrite each other's.
/// </summary>
internal sealed class KubeconfigFile : IDisposable
{
    private readonly string? _ownDirectory;

    private KubeconfigFile(string path, string? ownDirectory)
    {
        Path = path;
        _ownDirectory = ownDirectory;
    }

    public string Path { get; }

    /// <summary>Whether the file goes when the sandbox exits.</summary>
    public bool Removed => _ownDirectory is not null;

    public static KubeconfigFile For(string? named)
    {
        if (named is not null) return new KubeconfigFile(named, null);
        var directory = Directory.CreateTempSubdirectory("eks-operator-sandbox-").FullName;
        return new KubeconfigFile(System.IO.Path.Combine(directory, "kubeconfig"), directory);
    }

    public void Dispose()
    {
        if (_ownDirectory is null) return;
        try
        {
            Directory.Delete(_ownDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the directory is the temporary directory's to clean up then.
        }
    }
}
