using EksOperator.Hosting;

namespace EksOperator;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var app = OperatorHost.Build(args);
        await app.RunAsync();
        return 0;
    }
}
