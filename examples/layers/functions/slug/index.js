'use strict';
// 'text-tools' is not in this folder: the text-tools layer provides it at /opt/nodejs/node_modules.
const { slugify, titleCase } = require('text-tools');

exports.handler = async (event) => {
  const text = decodeURIComponent(event.pathParameters.text);
  return { slug: slugify(text), title: titleCase(text) };
};
