namespace EksOperator.Sandbox;

/// <summary>Fitting text into a column without cutting a word in half.</summary>
internal static class TextFit
{
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> when it fits in <paramref name="width"/> characters; otherwise its longest prefix that ends at
    /// a word boundary, followed by an ellipsis, <paramref name="width"/> characters at most. A first word longer than
    /// the width is the only thing ever cut inside a word.
    /// </summary>
    public static string Shorten(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        if (text.Length <= width) return text;

        var room = width - Ellipsis.Length;
        var kept = LastBoundary(text, room) is var boundary and > 0
            ? text[..boundary]
            : text[..(char.IsHighSurrogate(text[room - 1]) ? room - 1 : room)];
        return kept.TrimEnd(' ', '\t', ',', ';', ':', '(', '-') + Ellipsis;
    }

    // The largest index ≤ room at which a word ends: whitespace follows the kept part.
    private static int LastBoundary(string text, int room)
    {
        for (var i = room; i > 0; i--)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1])) return i;
        }

        return 0;
    }
}
