// Stylesheets imported for their side effect; the bundlers (esbuild, Vite) emit them as CSS.
declare module '*.css';
