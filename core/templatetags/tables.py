"""A table too wide for a phone scrolls in a region that keyboards reach and readers name.

    {% load tables %}
    <h2 id="mentors-heading">Mentors</h2>
    {% scroll_region "mentors-heading" %}<table>…</table>{% endscroll_region %}
    {% scroll_region label=some_text %}<table>…</table>{% endscroll_region %}

renders `<div class="table-responsive" tabindex="0" role="region" aria-labelledby="…">`
(or `aria-label`) around the table: the region scrolls inside the page, which then never
scrolls sideways, and `tabindex="0"` lets a keyboard scroll it (axe:
scrollable-region-focusable). A region without a name is refused when the template loads.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, labelledby, label):
        self.nodelist, self.labelledby, self.label = nodelist, labelledby, label

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        if self.labelledby is not None:
            name = format_html('aria-labelledby="{}"', self.labelledby.resolve(context))
        else:
            name = format_html('aria-label="{}"', self.label.resolve(context))
        return format_html(
            '<div class="table-responsive" tabindex="0" role="region" {}>{}</div>', name, inner
        )


@register.tag
def scroll_region(parser, token):
    bits = token.split_contents()
    tag, arguments = bits[0], bits[1:]
    usage = f'{tag} takes the id of the heading that names it, or label="…"'
    if len(arguments) != 1:
        raise template.TemplateSyntaxError(usage)
    argument = arguments[0]
    labelledby = label = None
    if argument.startswith("label="):
        label = parser.compile_filter(argument.removeprefix("label="))
    elif "=" in argument:
        raise template.TemplateSyntaxError(usage)
    else:
        labelledby = parser.compile_filter(argument)
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, labelledby, label)
