using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>What the Authorization header claims, parsed but not yet verified.</summary>
internal sealed record SigV4Credential(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature);

internal enum SigV4Failure
{
    None,
    Missing,
    Malformed,
    UnknownKey,
    WrongScope,
    Expired,
    Mismatch,

    /// <summary>A temporary key whose session has expired (set by the pipeline, not the verifier).</summary>
    ExpiredToken,
}

internal sealed record SigV4Result(SigV4Failure Failure, SigV4Credential? Credential, string Message);

/// <summary>
/// Verifies AWS Signature Version 4 header authentication the way AWS does (reference §6):
/// rebuild the canonical request from what arrived on the wire, derive the signing key from the
/// configured secret and compare signatures in constant time.
/// </summary>
internal sealed class SigV4Verifier(Func<string, string?> secretOf)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>A verifier that knows one key pair.</summary>
    public SigV4Verifier(string accessKeyId, string secretAccessKey)
        : this(key => string.Equals(key, accessKeyId, StringComparison.Ordinal) ? secretAccessKey : null)
    {
    }

    // AWS rejects requests signed more than 15 minutes away from its clock.
    private static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);

    public static SigV4Credential? Parse(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return null;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                return null;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
                default: break;
            }
        }

        var scope = credential?.Split('/');
        if (scope is not { Length: 5 } || scope[4] != "aws4_request" || signedHeaders is null || signature is null)
        {
            return null;
        }

        return new SigV4Credential(scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature);
    }

    /// <param name="rawTarget">path and query exactly as they arrived (still percent-encoded)</param>
    /// <param name="wallClock">AWS compares X-Amz-Date with real time, so this is the real clock even when lifecycles run on a fake one</param>
    public SigV4Result Verify(
        string method,
        string rawTarget,
        Func<string, string?> header,
        ReadOnlySpan<byte> body,
        DateTimeOffset wallClock)
    {
        var cred = Parse(header("authorization"));
        if (cred is null)
        {
            return header("authorization") is null
                ? new(SigV4Failure.Missing, null, "Missing Authentication Token")
                : new(SigV4Failure.Malformed, null, "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
        }

        if (secretOf(cred.AccessKeyId) is not { } secretAccessKey)
        {
            return new(SigV4Failure.UnknownKey, cred, "The security token included in the request is invalid.");
        }

        var amzDate = header("x-amz-date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
        {
            return new(SigV4Failure.Malformed, cred, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (!amzDate.StartsWith(cred.Date, StringComparison.Ordinal))
        {
            return new(SigV4Failure.WrongScope, cred, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{cred.Date}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if ((wallClock - signedAt).Duration() > MaxSkew)
        {
            return new(SigV4Failure.Expired, cred, $"Signature expired: {amzDate} is now earlier than {(wallClock - MaxSkew).UtcDateTime:yyyyMMdd'T'HHmmss'Z'}");
        }

        if (!cred.SignedHeaders.Contains("host"))
        {
            return new(SigV4Failure.Malformed, cred, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var canonical = CanonicalRequest(method, rawTarget, cred.SignedHeaders, header, body);
        var stringToSign = string.Join('\n', Algorithm, amzDate, $"{cred.Date}/{cred.Region}/{cred.Service}/aws4_request", Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        var expected = Hex(HMACSHA256.HashData(SigningKey(cred, secretAccessKey), Encoding.UTF8.GetBytes(stringToSign)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(cred.Signature)))
        {
            return new(SigV4Failure.Mismatch, cred, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return new(SigV4Failure.None, cred, string.Empty);
    }

    internal static string CanonicalRequest(string method, string rawTarget, IReadOnlyList<string> signedHeaders, Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q < 0 ? rawTarget : rawTarget[..q];
        var rawQuery = q < 0 ? string.Empty : rawTarget[(q + 1)..];

        var sb = new StringBuilder(512);
        sb.Append(method).Append('\n');
        sb.Append(CanonicalUri(rawPath)).Append('\n');
        sb.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            sb.Append(name).Append(':').Append(CanonicalHeaderValue(header(name) ?? string.Empty)).Append('\n');
        }

        sb.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        var contentSha = header("x-amz-content-sha256");
        sb.Append(contentSha is "UNSIGNED-PAYLOAD" ? contentSha : Hex(SHA256.HashData(body)));
        return sb.ToString();
    }

    // Non-S3 services sign the path encoded once more than it travels (an ARN's %3A is signed as %253A).
    private static string CanonicalUri(string rawPath) => rawPath.Length == 0 ? "/" : Encode(rawPath, keepSlash: true);

    private static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return string.Empty;
        }

        var pairs = rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? p : p[..eq];
                var value = eq < 0 ? string.Empty : p[(eq + 1)..];
                return (Name: Encode(Uri.UnescapeDataString(name), keepSlash: false), Value: Encode(Uri.UnescapeDataString(value), keepSlash: false));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    private static string CanonicalHeaderValue(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: everything but unreserved characters (and '/', for paths).</summary>
    internal static string Encode(string value, bool keepSlash)
    {
        var sb = new StringBuilder(value.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static byte[] SigningKey(SigV4Credential cred, string secretAccessKey)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(cred.Date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(cred.Region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(cred.Service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
