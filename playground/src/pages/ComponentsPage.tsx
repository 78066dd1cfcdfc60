import { Button, Card, Tabs } from '../acme-ui';

const variants = ['primary', 'secondary', 'ghost', 'danger'] as const;
const buttons = Array.from({ length: 40 }, (_, i) => ({
  id: `button-${i + 1}`,
  label: `Button ${i + 1}`,
  variant: variants[i % variants.length] ?? 'secondary',
  size: i % 3 === 0 ? ('sm' as const) : ('md' as const),
}));
const cards = Array.from({ length: 9 }, (_, i) => ({
  id: `card-${i + 1}`,
  title: `Card ${i + 1}`,
  elevated: i % 3 === 0,
}));

/** Many instances of few variants: the collector receives one event per variant, with a count. */
export function ComponentsPage() {
  return (
    <div className="page">
      <h1>Components</h1>
      <Tabs
        tabs={[
          {
            id: 'buttons',
            label: 'Buttons',
            content: (
              <div className="row wrap">
                {buttons.map((button) => (
                  <Button key={button.id} variant={button.variant} size={button.size}>
                    {button.label}
                  </Button>
                ))}
              </div>
            ),
          },
          {
            id: 'cards',
            label: 'Cards',
            content: (
              <div className="grid">
                {cards.map((card) => (
                  <Card key={card.id} title={card.title} elevated={card.elevated}>
                    <p>Card content never leaves the page.</p>
                  </Card>
                ))}
              </div>
            ),
          },
          {
            id: 'about',
            label: 'About',
            content: <p>acme-ui 1.4.0 — a tiny design system for the demo.</p>,
          },
        ]}
      />
    </div>
  );
}
