// 'text-tools' is not in this folder: the text-tools layer provides it at /opt/nodejs/node_modules, so Flint's
// bundler leaves it out (as SAM's esbuild build does with External) and the runtime finds it there.
import { slugify, titleCase } from 'text-tools';

interface HttpEvent {
  pathParameters: { text: string };
}

export const handler = async (event: HttpEvent) => {
  const text = decodeURIComponent(event.pathParameters.text);
  return { slug: slugify(text), title: titleCase(text) };
};
