/** The in-repo "component library": what a design-system author would ship. */
export const library = { library: 'acme-ui', version: '1.4.0' } as const;
