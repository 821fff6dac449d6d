using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>A raw newline-delimited watch stream, read line by line.</summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public int StatusCode => (int)_response.StatusCode;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<WatchStream> OpenAsync(HttpClient http, string pathAndQuery, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or null when the server closed the stream.</summary>
    public async Task<JsonNode?> NextAsync(TimeSpan? timeout = null)
    {
        var line = await _reader.ReadLineAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        return line is null ? null : JsonNode.Parse(line);
    }

    /// <summary>The next event that is not a BOOKMARK.</summary>
    public async Task<JsonNode?> NextChangeAsync()
    {
        while (true)
        {
            var next = await NextAsync();
            if (next?["type"]?.GetValue<string>() != "BOOKMARK")
            {
                return next;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
