"""`{% scroll_region %}`: a wide table's scrolling box that keyboards reach and readers name."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_the_region_is_focusable_and_named_by_its_heading():
    html = render('{% scroll_region "mentors-heading" %}<table></table>{% endscroll_region %}')
    assert html == (
        '<div class="table-responsive" tabindex="0" role="region"'
        ' aria-labelledby="mentors-heading"><table></table></div>'
    )


def test_the_region_may_be_named_by_a_text_which_is_escaped():
    html = render(
        "{% scroll_region label=title %}<table></table>{% endscroll_region %}",
        title='Chart "2026" <script>',
    )
    assert 'aria-label="Chart &quot;2026&quot; &lt;script&gt;"' in html
    assert "<script>" not in html


def test_the_table_inside_is_rendered_with_its_context():
    html = render('{% scroll_region "h" %}<td>{{ name }}</td>{% endscroll_region %}', name="<b>")
    assert "<td>&lt;b&gt;</td>" in html


@pytest.mark.parametrize(
    "tag",
    [
        "{% scroll_region %}",
        '{% scroll_region "a" "b" %}',
        '{% scroll_region title="x" %}',
    ],
)
def test_a_region_without_one_name_is_refused(tag):
    with pytest.raises(TemplateSyntaxError, match="heading"):
        render(tag + "<table></table>{% endscroll_region %}")
